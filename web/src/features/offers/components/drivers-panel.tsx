import type { Offer, Proposal } from '../../../lib/api/types';
import { fmtAgo, fmtMoney } from '../../../lib/format';
import { proposalIndicator, tableRate } from '../hooks/offer-filters';
import { driverOnline, usePresence } from '../../trucks/hooks/use-presence';
import { useTrucks } from '../../trucks/hooks/use-trucks';
import { LoadError } from '../../../lib/ui/load-error';
import { moveFocus } from '../../../lib/ui/arrow-keys';
import { useUnseenResponses } from '../hooks/use-unseen-responses';
import { attentionLabel, unseenIn } from '../hooks/unseen-responses';

interface Props {
  offer: Offer;
  proposals: Proposal[] | undefined;
  loading: boolean;
  /** The drivers could not be read (shown with Try again). */
  error: Error | null;
  onRetry: () => void;
  selectedDriverId: number | null;
  onSelect: (driverId: number) => void;
}

/** Left zone: the offer's drivers, their proposal status, counter rate, presence and unread count. */
export function DriversPanel({ offer, proposals, loading, error, onRetry, selectedDriverId, onSelect }: Props) {
  const presence = usePresence();
  // The truck list says who was online when it was read; presence_changed events since then win over it.
  const trucks = useTrucks();
  const truckById = new Map((trucks.data ?? []).map((t) => [t.id, t]));
  const unseen = useUnseenResponses();
  const tabStopId = proposals?.some((p) => p.driver_id === selectedDriverId) ? selectedDriverId : proposals?.[0]?.driver_id;
  return (
    <aside className="drivers-panel" aria-label="Drivers on this offer">
      <div className="panel-title">
        Drivers <span className="muted">{proposals?.length ?? ''}</span>
      </div>
      {loading && <div className="empty">Loading drivers…</div>}
      {error && <LoadError what="the drivers" error={error} onRetry={onRetry} />}
      {proposals && proposals.length === 0 && <div className="empty">Not sent to anyone yet. Use “Send to more drivers”.</div>}
      <ul
        role="listbox"
        aria-label="Drivers"
        // One Tab stop (the selected driver); Up/Down move and open that driver's chat, as a listbox does.
        onKeyDown={(e) => {
          const to = moveFocus(e, [...e.currentTarget.querySelectorAll<HTMLElement>('[role=option]')], { orientation: 'vertical' });
          if (to?.dataset.driverId) onSelect(Number(to.dataset.driverId));
        }}
      >
        {proposals?.map((p) => {
          const ind = proposalIndicator(p, offer);
          const closed = offer.status !== 'active' || p.offer_status !== 'active';
          const pres = driverOnline(presence, p.driver_id, truckById.get(p.driver_id));
          const answers = closed ? 0 : unseenIn(unseen, offer.id, p.driver_id);
          return (
            <li key={p.id} role="none">
              <button
                role="option"
                aria-selected={p.driver_id === selectedDriverId}
                tabIndex={p.driver_id === tabStopId ? 0 : -1}
                className={`driver-row${p.driver_id === selectedDriverId ? ' selected' : ''}`}
                data-driver-id={p.driver_id}
                data-status={p.status}
                onClick={() => onSelect(p.driver_id)}
              >
                <span className={`dot ${pres.online ? 'dot-on' : 'dot-off'}`} title={pres.online ? 'Online' : 'Offline'} />
                <span className="driver-main">
                  <span className="driver-name">
                    {p.driver?.driver_name ?? `Truck ${p.driver_id}`} <span className="muted">#{p.driver?.truck_number ?? p.driver_id}</span>
                  </span>
                  <span className="driver-sub muted">
                    {pres.online ? 'online' : pres.lastSeen ? `seen ${fmtAgo(pres.lastSeen)}` : 'offline'}
                    {p.driver?.city_state_zip ? ` · ${p.driver.city_state_zip}` : ''}
                  </span>
                </span>
                <span className="driver-status">
                  <span className="proposal-status" data-testid="proposal-status" title={ind.title}>
                    {ind.icon} {ind.label}
                  </span>
                  {!closed && p.status === 'counter_offered' && tableRate(p) != null && <span className="counter-rate">{fmtMoney(tableRate(p))}</span>}
                  {p.is_booked && offer.booked_rate != null && <span className="counter-rate">{fmtMoney(offer.booked_rate)}</span>}
                </span>
                {p.unread_count + answers > 0 && (
                  <span className="badge" data-testid="driver-unread" title={attentionLabel(p.unread_count, answers)}>
                    <span aria-hidden>{p.unread_count + answers}</span>
                    <span className="sr-only">{attentionLabel(p.unread_count, answers)}</span>
                  </span>
                )}
              </button>
            </li>
          );
        })}
      </ul>
    </aside>
  );
}
