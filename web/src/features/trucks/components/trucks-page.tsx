import { useCallback, useMemo, useState } from 'react';
import { useTrucks } from '../hooks/use-trucks';
import { usePresence } from '../hooks/use-presence';
import { nextSort, phoneList, toggleAll, toggleOne, viewTrucks, type SortKey, type TruckFilter } from '../hooks/truck-view';
import { TruckTable } from './truck-table';
import { PlaceInput } from '../../../lib/ui/place-input';
import { LoadError } from '../../../lib/ui/load-error';
import { useDraft } from '../../../lib/drafts';
import { toast } from '../../../lib/notify';
import { CreateOfferModal } from '../../offers/components/create-offer-modal';

const RADII = [25, 50, 100, 150, 250, 500];

export function TrucksPage() {
  const trucks = useTrucks();
  const presence = usePresence();
  const [search, setSearch] = useDraft('trucks.search', '');
  const [status, setStatus] = useDraft('trucks.status', '');
  const [origin, setOrigin] = useDraft<TruckFilter['origin']>('trucks.origin', null);
  const [originText, setOriginText] = useDraft('trucks.origin-text', '');
  const [radius, setRadius] = useDraft<number | null>('trucks.radius', null);
  const [sort, setSort] = useDraft<TruckFilter['sort']>('trucks.sort', { key: 'truck_number', dir: 'asc' });
  const [selected, setSelected] = useState<Set<number>>(() => new Set());
  const [modalOpen, setModalOpen] = useState(false);

  const all = trucks.data ?? [];
  const statuses = useMemo(() => [...new Set(all.map((t) => t.status ?? '').filter(Boolean))].sort(), [all]);
  const rows = useMemo(
    () => viewTrucks(all, { search, status, origin, radiusMiles: origin ? radius : null, sort }),
    [all, search, status, origin, radius, sort],
  );
  const selectedTrucks = useMemo(() => all.filter((t) => selected.has(t.id)), [all, selected]);

  const onSort = useCallback((key: SortKey) => setSort(nextSort(sort, key)), [sort, setSort]);
  const onToggle = useCallback((id: number) => setSelected((s) => toggleOne(s, id)), []);
  const onToggleAll = () => setSelected((s) => toggleAll(s, rows.map((r) => r.id)));

  async function copyNumbers() {
    const text = phoneList([...rows, ...all], selected);
    try {
      await navigator.clipboard.writeText(text);
      toast({ title: `Copied ${text.split(', ').length} phone numbers`, tone: 'success' }, 3000);
    } catch {
      toast({ title: 'Could not copy to the clipboard', body: 'Your browser blocked it. Select and copy by hand: ' + text, tone: 'error' });
    }
  }

  return (
    <main className="page trucks-page">
      <div className="toolbar">
        <input
          className="search"
          type="search"
          placeholder="Search truck, driver, city, phone…"
          aria-label="Search trucks"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">All statuses</option>
          {statuses.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <div className="distance-from">
          <PlaceInput
            name="distance-from"
            ariaLabel="Distance from address"
            placeholder="Distance from city or ZIP…"
            value={originText}
            onTextChange={(t) => {
              setOriginText(t);
              if (!t) setOrigin(null);
            }}
            onPick={(p) => {
              setOriginText(p.label);
              setOrigin({ lat: p.lat, lon: p.lon, label: p.label });
              setSort({ key: 'distance', dir: 'asc' });
            }}
          />
          <select
            aria-label="Radius"
            value={radius ?? ''}
            disabled={!origin}
            onChange={(e) => setRadius(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">Any distance</option>
            {RADII.map((r) => (
              <option key={r} value={r}>
                within {r} mi
              </option>
            ))}
          </select>
          {origin && (
            <button
              className="btn btn-ghost btn-sm"
              onClick={() => {
                setOrigin(null);
                setOriginText('');
                if (sort.key === 'distance') setSort({ key: 'truck_number', dir: 'asc' });
              }}
            >
              Clear
            </button>
          )}
        </div>
        <div className="toolbar-right">
          <span className="muted count" aria-live="polite">
            {trucks.isLoading ? 'Loading…' : `${rows.length.toLocaleString()} of ${all.length.toLocaleString()} trucks`}
            {selected.size > 0 && (
              <>
                {' · '}
                <button className="link" title="Clear selection" onClick={() => setSelected(new Set())}>
                  {selected.size} selected ✕
                </button>
              </>
            )}
          </span>
          {selected.size > 0 && (
            <>
              <button className="btn" onClick={copyNumbers}>
                Copy Numbers
              </button>
              <button className="btn btn-primary" onClick={() => setModalOpen(true)}>
                Make Offer ({selected.size})
              </button>
            </>
          )}
        </div>
      </div>
      {trucks.isError ? (
        <LoadError what="the trucks" error={trucks.error} onRetry={() => void trucks.refetch()} />
      ) : trucks.isLoading ? (
        <div className="empty">Loading trucks…</div>
      ) : (
        <TruckTable
          rows={rows}
          selected={selected}
          sort={sort}
          showDistance={!!origin}
          presence={presence}
          onSort={onSort}
          onToggle={onToggle}
          onToggleAll={onToggleAll}
        />
      )}
      {modalOpen && (
        <CreateOfferModal
          drivers={selectedTrucks}
          onRemoveDriver={(id) => setSelected((s) => toggleOne(s, id))}
          onClose={() => setModalOpen(false)}
          onCreated={() => setSelected(new Set())}
        />
      )}
    </main>
  );
}
