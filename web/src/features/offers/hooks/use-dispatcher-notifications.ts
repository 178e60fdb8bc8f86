import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { ChatMessage, Offer, Proposal, Truck } from '../../../lib/api/types';
import { keys } from '../../../lib/query-keys';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { isActive } from '../../../lib/realtime/active-conversation';
import { browserNotify, chime, setTitleUnread, toast } from '../../../lib/notify';
import { fmtMoney } from '../../../lib/format';
import { noteResponse } from './unseen-responses';
import { updateUnseen } from './use-unseen-responses';

/** Toasts, browser notifications, sounds and the tab title ("(3) Driver Offers": unread messages and new acceptances). */
export function useDispatcherNotifications(unread: number) {
  const { connection } = useRealtime();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const navigateRef = useRef(navigate);
  navigateRef.current = navigate;

  useEffect(() => setTitleUnread(unread), [unread]);

  useEffect(() => {
    const hub = connection.hub;
    const driverName = (offerId: number, driverId: number) => {
      const p = qc.getQueryData<Proposal[]>(keys.proposals(offerId))?.find((x) => x.driver_id === driverId);
      const t = qc.getQueryData<Truck[]>(keys.trucks)?.find((x) => x.id === driverId);
      return p?.driver?.driver_name ?? t?.driver_name ?? `Truck ${driverId}`;
    };
    const href = (offerId: number, driverId: number) => `/offers/${offerId}?driver=${driverId}`;

    const onMessage = (m: ChatMessage) => {
      // A driver's rate card comes with proposal_updated, which says it once ("countered $2,700 …") with its chime.
      if (m.sender_type !== 'driver' || m.message_type !== 'text' || isActive(m.offer_id, m.driver_id)) return;
      const who = driverName(m.offer_id, m.driver_id);
      toast({ title: `${who} · Offer #${m.offer_id}`, body: m.message.slice(0, 120), tone: 'info', href: href(m.offer_id, m.driver_id) });
      browserNotify(`${who} (offer #${m.offer_id})`, m.message.slice(0, 120), () => navigateRef.current(href(m.offer_id, m.driver_id)));
    };

    const seen = new Map<number, string>();
    const onProposal = (p: Proposal) => {
      // An acceptance for a conversation not on screen stays on the badges until it is looked at (a counter is an unread message already).
      if (!isActive(p.offer_id, p.driver_id)) updateUnseen((m) => noteResponse(m, p));
      if (seen.get(p.id) === p.status + p.driver_proposed_rate) return;
      seen.set(p.id, p.status + p.driver_proposed_rate);
      const who = p.driver?.driver_name ?? driverName(p.offer_id, p.driver_id);
      const text =
        p.status === 'accepted' && !p.is_booked
          ? `accepted offer #${p.offer_id}`
          : p.status === 'counter_offered'
            ? `countered ${fmtMoney(p.driver_proposed_rate)} on offer #${p.offer_id}`
            : p.status === 'rejected'
              ? `declined offer #${p.offer_id}`
              : // A view is no answer: an offer sent to 30 drivers would bury the answers under 30 toasts. The card's
                // counters and the driver's row show it live.
                null;
      if (!text) return;
      if (p.status === 'accepted' && !p.is_booked) chime('accept');
      if (p.status === 'counter_offered') chime('counter');
      // The open chat already shows it (status line and the event in the conversation): no toast on top.
      if (!isActive(p.offer_id, p.driver_id)) {
        toast({ title: `${who} ${text}`, tone: p.status === 'rejected' ? 'warning' : 'success', href: href(p.offer_id, p.driver_id) });
      }
      browserNotify(`${who} ${text}`, 'Open Driver Offers to answer.');
    };

    const booked = new Set<number>();
    const onOffer = (o: Offer) => {
      if (o.status === 'completed' && o.booked_driver_id != null && !booked.has(o.id)) {
        booked.add(o.id);
        chime('booked');
        toast({ title: `Offer #${o.id} booked`, body: `${driverName(o.id, o.booked_driver_id)} at ${fmtMoney(o.booked_rate)}`, tone: 'success' });
      }
    };

    hub.on('new_message', onMessage);
    hub.on('proposal_updated', onProposal);
    hub.on('offer_updated', onOffer);
    return () => {
      hub.off('new_message', onMessage);
      hub.off('proposal_updated', onProposal);
      hub.off('offer_updated', onOffer);
    };
  }, [connection, qc]);
}
