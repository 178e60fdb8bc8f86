import { useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { Offer, Truck } from '../../../lib/api/types';
import { keys } from '../../../lib/query-keys';
import { Modal } from '../../../lib/ui/modal';
import { ApiError } from '../../../lib/api/problem';
import { roadMiles } from '../../../lib/geo/distance';
import { fmtMiles } from '../../../lib/format';
import { sendToDrivers } from '../api/send-to-drivers';
import { listTrucks } from '../../trucks/api/list-trucks';

/** Pick more trucks for an active offer; nearest to the pickup first. */
export function SendMoreModal({ offer, invitedIds, onClose }: { offer: Offer; invitedIds: number[]; onClose: () => void }) {
  const qc = useQueryClient();
  const trucks = useQuery({ queryKey: keys.trucks, queryFn: ({ signal }) => listTrucks(signal), staleTime: 60_000 });
  const [search, setSearch] = useState('');
  const [picked, setPicked] = useState<Set<number>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const rows = useMemo(() => {
    const invited = new Set(invitedIds);
    const w = search.trim().toLowerCase();
    const from = offer.pickup_lat != null && offer.pickup_lon != null ? { lat: offer.pickup_lat, lon: offer.pickup_lon } : null;
    return (trucks.data ?? [])
      .filter((t) => !invited.has(t.id))
      .filter((t) => !w || `${t.truck_number} ${t.driver_name} ${t.city_state_zip}`.toLowerCase().includes(w))
      .map((t: Truck) => ({ ...t, d: from && t.latitude != null && t.longitude != null ? roadMiles(from, { lat: t.latitude, lon: t.longitude }) : null }))
      .sort((a, b) => (a.d ?? 1e9) - (b.d ?? 1e9))
      .slice(0, 200);
  }, [trucks.data, invitedIds, search, offer]);

  async function send() {
    setBusy(true);
    setError(null);
    try {
      await sendToDrivers(offer.id, [...picked]);
      void qc.invalidateQueries({ queryKey: keys.proposals(offer.id) });
      void qc.invalidateQueries({ queryKey: keys.offers });
      onClose();
    } catch (e) {
      setError(e instanceof ApiError ? (e.fieldErrors.driver_ids ?? e.message) : 'Could not send.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={`Send offer #${offer.id} to more drivers`} onClose={onClose}>
      <input type="search" aria-label="Search trucks" placeholder="Search truck, driver, city…" value={search} onChange={(e) => setSearch(e.target.value)} />
      {error && <div className="alert" role="alert">{error}</div>}
      <ul className="pick-list">
        {trucks.isLoading && <li className="empty">Loading trucks…</li>}
        {rows.map((t) => (
          <li key={t.id}>
            <label className="check">
              <input
                type="checkbox"
                checked={picked.has(t.id)}
                onChange={() =>
                  setPicked((s) => {
                    const n = new Set(s);
                    if (!n.delete(t.id)) n.add(t.id);
                    return n;
                  })
                }
              />
              <b>{t.truck_number}</b> {t.driver_name} <span className="muted">{t.city_state_zip} · {t.status}</span>
              <span className="muted push">{fmtMiles(t.d)}</span>
            </label>
          </li>
        ))}
      </ul>
      <footer className="modal-foot">
        <button className="btn btn-ghost" onClick={onClose}>Cancel</button>
        <button className="btn btn-primary" disabled={busy || picked.size === 0} onClick={send}>
          Send to {picked.size}
        </button>
      </footer>
    </Modal>
  );
}
