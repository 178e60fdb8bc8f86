import { memo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { truckRateText, type TruckRow, type SortKey, type TruckFilter } from '../hooks/truck-view';
import type { PresenceMap } from '../../../lib/query-keys';
import { driverOnline } from '../hooks/use-presence';
import { fmtAgo, fmtMiles } from '../../../lib/format';

interface Props {
  rows: TruckRow[];
  selected: ReadonlySet<number>;
  sort: TruckFilter['sort'];
  showDistance: boolean;
  presence: PresenceMap;
  onSort: (key: SortKey) => void;
  onToggle: (id: number) => void;
  onToggleAll: () => void;
}

const ROW_HEIGHT = 34;

const columns: { key: SortKey; label: string; distanceOnly?: boolean }[] = [
  { key: 'truck_number', label: 'Truck' },
  { key: 'driver_name', label: 'Driver' },
  { key: 'status', label: 'Status' },
  { key: 'city_state_zip', label: 'Location' },
  { key: 'distance', label: 'Distance', distanceOnly: true },
  { key: 'dimensions', label: 'Dimensions' },
  { key: 'rate', label: 'Rate' },
  { key: 'cell_phone', label: 'Phone' },
  { key: 'updated_at', label: 'Updated' },
];

/** The truck table: virtualized (only visible rows are in the DOM), so 5,000 trucks scroll as smoothly as 50. */
export function TruckTable({ rows, selected, sort, showDistance, presence, onSort, onToggle, onToggleAll }: Props) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const cols = columns.filter((c) => !c.distanceOnly || showDistance);
  const allSelected = rows.length > 0 && rows.every((r) => selected.has(r.id));
  const someSelected = !allSelected && rows.some((r) => selected.has(r.id));
  const template = `36px 22px ${cols.map((c) => widths[c.key]).join(' ')}`;

  return (
    <div className="ttable" role="table" aria-label="Trucks" aria-rowcount={rows.length + 1}>
      <div className="ttable-head" role="row" style={{ gridTemplateColumns: template }}>
        <span role="columnheader" className="cell-check">
          <input
            type="checkbox"
            aria-label={allSelected ? 'Unselect all shown trucks' : 'Select all shown trucks'}
            checked={allSelected}
            ref={(el) => {
              if (el) el.indeterminate = someSelected;
            }}
            onChange={onToggleAll}
          />
        </span>
        <span role="columnheader" aria-label="Online" />
        {cols.map((c) => (
          <span role="columnheader" key={c.key} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
            <button className="sort-btn" onClick={() => onSort(c.key)}>
              {c.label}
              <span className="sort-arrow" aria-hidden>
                {sort.key === c.key ? (sort.dir === 'asc' ? '▲' : '▼') : ''}
              </span>
            </button>
          </span>
        ))}
      </div>
      <div className="ttable-body" ref={scrollRef}>
        {rows.length === 0 ? (
          <div className="empty">No trucks match these filters.</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const r = rows[v.index]!;
              return (
                <Row
                  key={r.id}
                  row={r}
                  top={v.start}
                  template={template}
                  showDistance={showDistance}
                  checked={selected.has(r.id)}
                  presence={driverOnline(presence, r.id, r)}
                  onToggle={onToggle}
                />
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}

const widths: Record<SortKey, string> = {
  truck_number: 'minmax(70px, 0.6fr)',
  driver_name: 'minmax(130px, 1.3fr)',
  status: 'minmax(90px, 0.8fr)',
  city_state_zip: 'minmax(140px, 1.4fr)',
  distance: 'minmax(80px, 0.6fr)',
  dimensions: 'minmax(100px, 0.9fr)',
  rate: 'minmax(70px, 0.6fr)',
  cell_phone: 'minmax(120px, 1fr)',
  updated_at: 'minmax(90px, 0.8fr)',
};

interface RowProps {
  row: TruckRow;
  top: number;
  template: string;
  showDistance: boolean;
  checked: boolean;
  presence: { online: boolean; lastSeen: string | null };
  onToggle: (id: number) => void;
}

const Row = memo(function Row({ row: r, top, template, showDistance, checked, presence, onToggle }: RowProps) {
  return (
    <div
      role="row"
      className={`ttable-row${checked ? ' selected' : ''}`}
      data-truck-id={r.id}
      style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('input,button,a')) return;
        onToggle(r.id);
      }}
    >
      <span role="cell" className="cell-check">
        <input type="checkbox" aria-label={`Select truck ${r.truck_number ?? r.id}`} checked={checked} onChange={() => onToggle(r.id)} />
      </span>
      <span role="cell" title={presence.online ? 'Online now' : presence.lastSeen ? `Last seen ${fmtAgo(presence.lastSeen)}` : 'Offline'}>
        <span className={`dot ${presence.online ? 'dot-on' : 'dot-off'}`} />
      </span>
      <span role="cell" className="strong">{r.truck_number ?? r.id}</span>
      <span role="cell">{r.driver_name}</span>
      <span role="cell">
        <span className={`pill pill-${(r.status ?? '').toLowerCase().replace(/[^a-z]+/g, '-')}`}>{r.status ?? '—'}</span>
      </span>
      <span role="cell">{r.city_state_zip}</span>
      {showDistance && (
        <span role="cell" className="num" data-col="distance">
          {fmtMiles(r.distance)}
        </span>
      )}
      <span role="cell">{r.dimensions}</span>
      <span role="cell" className="num">{truckRateText(r.rate)}</span>
      <span role="cell" className="mono">{r.cell_phone}</span>
      <span role="cell" className="muted" title={r.updated_at ?? ''}>
        {fmtAgo(r.updated_at)}
      </span>
    </div>
  );
});
