import { useEffect, useMemo } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { useQueryClient } from '@tanstack/react-query';
import type { ChatMessage, Offer, Proposal } from '../../../lib/api/types';
import { keys } from '../../../lib/query-keys';
import { applyOffer, applyProposal } from '../../../lib/realtime/live-cache';
import { useDraft } from '../../../lib/drafts';
import { fmtMoney } from '../../../lib/format';
import { askConfirm } from '../../../lib/ui/confirm-dialog';
import { bookQuestion, invitedCount } from '../hooks/confirm-questions';
import { useUnseenResponses, updateUnseen } from '../hooks/use-unseen-responses';
import { clearConversation, unseenIn } from '../hooks/unseen-responses';
import { useOffers } from '../hooks/use-offers';
import { useProposals } from '../hooks/use-proposals';
import { useNow } from '../hooks/use-now';
import { bookable, effectiveStatus, filterOffers, proposalIndicator, tableRate, type OfferStatusFilter } from '../hooks/offer-filters';
import { bookDriver } from '../api/book-driver';
import { respondToProposal } from '../api/respond-to-proposal';
import { OfferCard } from './offer-card';
import { OfferDetails } from './offer-details';
import { DriversPanel } from './drivers-panel';
import { ChatWindow } from '../../chat/components/chat-window';
import { OutboxPanel } from '../../outbox/components/outbox-panel';
import { LoadError } from '../../../lib/ui/load-error';
import { moveFocus } from '../../../lib/ui/arrow-keys';
import type { RateActions } from '../../chat/components/message-item';

const FILTERS: { value: OfferStatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'active', label: 'Active' },
  { value: 'completed', label: 'Booked' },
  { value: 'expired', label: 'Expired' },
  { value: 'cancelled', label: 'Cancelled' },
];

/**
 * The seed's zones, sized for a 1366×768 laptop: offer cards on top; under them the offer's drivers, the chat (the
 * tallest part of the screen) and the offer's details with its actions, side by side. Only the parts scroll, never
 * the page, so the composer stays in place.
 */
export function OffersPage() {
  const { offerId: offerParam } = useParams();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const offers = useOffers();
  const now = useNow(1000);
  const [search, setSearch] = useDraft('offers.search', '');
  const [status, setStatus] = useDraft<OfferStatusFilter>('offers.status', 'all');
  const unseen = useUnseenResponses();

  const list = useMemo(() => filterOffers(offers.data ?? [], search, status), [offers.data, search, status]);
  const offerId = offerParam ? Number(offerParam) : (list[0]?.id ?? null);
  const offer = offers.data?.find((o) => o.id === offerId) ?? null;
  const tabStopId = list.some((o) => o.id === offerId) ? offerId : list[0]?.id;
  const proposals = useProposals(offer?.id ?? null);
  const driverParam = params.get('driver');
  const driverId = driverParam ? Number(driverParam) : (proposals.data?.[0]?.driver_id ?? null);
  const proposal = proposals.data?.find((p) => p.driver_id === driverId) ?? null;

  const selectOffer = (id: number) => navigate(`/offers/${id}`);
  const selectDriver = (id: number) => setParams({ driver: String(id) }, { replace: true });

  return (
    <main className="page offers-page">
      <div className="offers-top">
        <div className="toolbar">
          <input className="search" type="search" placeholder="Search offers: #id, city, notes…" aria-label="Search offers" value={search} onChange={(e) => setSearch(e.target.value)} />
          <div
            className="segmented"
            role="radiogroup"
            aria-label="Offer status"
            // A radio group is one Tab stop; arrows choose (and wrap), as with native radio buttons.
            onKeyDown={(e) => {
              const to = moveFocus(e, [...e.currentTarget.querySelectorAll<HTMLElement>('[role=radio]')], { orientation: 'horizontal', wrap: true });
              if (to?.dataset.value) setStatus(to.dataset.value as OfferStatusFilter);
            }}
          >
            {FILTERS.map((f) => (
              <button
                key={f.value}
                role="radio"
                aria-checked={status === f.value}
                tabIndex={status === f.value ? 0 : -1}
                data-value={f.value}
                className={status === f.value ? 'on' : undefined}
                onClick={() => setStatus(f.value)}
              >
                {f.label}
              </button>
            ))}
          </div>
          <span className="muted toolbar-right">{offers.data ? `${list.length} of ${offers.data.length} offers` : ''}</span>
        </div>
        <div
          className="carousel"
          role="list"
          aria-label="Offers"
          // One Tab stop for all the cards (the selected one); arrows move along them, Enter opens one.
          onKeyDown={(e) => moveFocus(e, [...e.currentTarget.querySelectorAll<HTMLElement>('.offer-card')], { orientation: 'horizontal' })}
        >
          {offers.isLoading && <div className="empty">Loading offers…</div>}
          {offers.isError && <LoadError what="the offers" error={offers.error} onRetry={() => void offers.refetch()} />}
          {offers.data && list.length === 0 && (
            <div className="empty">{offers.data.length ? 'No offers match these filters.' : 'No offers yet. Select trucks on the Trucks page and press Make Offer.'}</div>
          )}
          {list.map((o) => (
            <div role="listitem" key={o.id}>
              <OfferCard offer={o} selected={o.id === offerId} tabStop={o.id === tabStopId} now={now} answers={effectiveStatus(o) === 'active' ? unseenIn(unseen, o.id) : 0} onSelect={selectOffer} />
            </div>
          ))}
        </div>
      </div>
      <div className="offers-work">
        {offer ? (
          <>
            <DriversPanel
              offer={offer}
              proposals={proposals.data}
              loading={proposals.isLoading}
              error={proposals.data ? null : proposals.error}
              onRetry={() => void proposals.refetch()}
              selectedDriverId={driverId}
              onSelect={selectDriver}
            />
            {proposal ? (
              <DispatcherChat key={`${offer.id}:${proposal.driver_id}`} offer={offer} proposal={proposal} invited={invitedCount(offer, proposals.data?.length ?? 1)} />
            ) : (
              // Without the drivers there is nothing to pick: the drivers panel says why and offers Try again.
              <div className="chat empty">{proposals.isLoading ? 'Loading…' : proposals.data ? 'Select a driver to open the chat.' : ''}</div>
            )}
            <aside className="offer-side" aria-label={`Offer ${offer.id}`}>
              <OfferDetails offer={offer} selectedProposal={proposal} invitedIds={proposals.data?.map((p) => p.driver_id) ?? []} />
              <OutboxPanel key={offer.id} offerId={offer.id} />
            </aside>
          </>
        ) : (
          offers.data && <div className="empty wide">Select an offer above.</div>
        )}
      </div>
    </main>
  );
}

function DispatcherChat({ offer, proposal: p, invited }: { offer: Offer; proposal: Proposal; invited: number }) {
  const qc = useQueryClient();
  const name = p.driver?.driver_name ?? `Truck ${p.driver_id}`;
  const ind = proposalIndicator(p, offer);

  // On screen in a visible tab: the driver's answers here count as seen (new ones raise no badge, see isActive).
  useEffect(() => {
    const seen = () => document.visibilityState === 'visible' && updateUnseen((m) => clearConversation(m, offer.id, p.driver_id));
    seen();
    document.addEventListener('visibilitychange', seen);
    return () => document.removeEventListener('visibilitychange', seen);
  }, [offer.id, p.driver_id]);

  const rateActions: RateActions = {
    acceptLabel: 'Accept & book',
    canAnswer: (m: ChatMessage) =>
      m.sender_type === 'driver' && p.status === 'counter_offered' && p.driver_proposed_rate === m.rate && bookable(offer, p),
    onAccept: async () => {
      if (!(await askConfirm(bookQuestion(name, p.driver_proposed_rate, invited, true)))) return;
      applyOffer(qc, await bookDriver(offer.id, p.driver_id, p.driver_proposed_rate));
      void qc.invalidateQueries({ queryKey: keys.proposals(offer.id) });
    },
    onCounter: async (_m, rate) => {
      applyProposal(qc, await respondToProposal(p.id, 'counter', rate));
    },
  };

  const status = effectiveStatus(offer);
  return (
    <ChatWindow
      offerId={offer.id}
      driverId={p.driver_id}
      otherName={name}
      rateActions={rateActions}
      closedReason={
        status === 'cancelled'
          ? 'This offer was cancelled; its chat is closed.'
          : offer.status === 'completed' && offer.booked_driver_id !== p.driver_id
            ? 'The load was booked by another driver; this chat is closed.'
            : null
      }
      header={
        <div className="chat-title">
          <b>{name}</b>{' '}
          <span className="muted">
            truck #{p.driver?.truck_number ?? p.driver_id}
            {p.driver?.cell_phone && ` · ${p.driver.cell_phone}`}
          </span>
          <span className="chat-title-status" data-testid="chat-proposal-status" title={ind.title}>
            <span aria-hidden>{ind.icon} </span>
            {ind.label}
            {p.status === 'counter_offered' && offer.status === 'active' && ` ${fmtMoney(tableRate(p))}`}
          </span>
        </div>
      }
    />
  );
}
