import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { keys } from '../query-keys';
import type { ChatMessage, Offer, Proposal } from '../api/types';
import { applyNewMessage, applyOffer, applyProposal, keepShownConversationRead } from './live-cache';
import { bookable, proposalIndicator, tableRate } from '../../features/offers/hooks/offer-filters';

const offer = (id: number, unread: number) => ({ id, unread_count: unread }) as Offer;
const proposal = (offerId: number, driverId: number, unread: number) => ({ id: driverId, offer_id: offerId, driver_id: driverId, unread_count: unread }) as Proposal;

describe('keepShownConversationRead', () => {
  it("zeroes the shown conversation's badges when a re-read answered before our mark-read was applied", async () => {
    // After a reconnect the catch-up brings a message into the open chat (marked read at once) while the offers and
    // proposals are re-read; the server may answer the re-read before it has applied the read: unread 1 again.
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offer(9, 0), offer(4, 2)]);
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 0)]);
    const stop = keepShownConversationRead(qc, 9, 107, () => true);

    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 1), offer(4, 2)], staleTime: 0 });
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 0)], staleTime: 0 });

    expect(qc.getQueryData<Offer[]>(keys.offers)!.map((o) => o.unread_count)).toEqual([0, 2]);
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([0, 0]);
    stop();
  });

  it('also when the proposals were re-read after the read and only the offers came back stale', async () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offer(9, 0)]);
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 2)]);
    const stop = keepShownConversationRead(qc, 9, 107, () => true);
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 0), proposal(9, 120, 2)], staleTime: 0 });
    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 3)], staleTime: 0 });
    // 1 of the 3 was the shown conversation's: the badge keeps what the other driver still has.
    expect(qc.getQueryData<Offer[]>(keys.offers)![0]!.unread_count).toBe(2);
    stop();
  });

  it("clears a driver's offer badge (a driver has one conversation per offer and no proposals list)", async () => {
    const qc = new QueryClient();
    const stop = keepShownConversationRead(qc, 9, 107, () => true);
    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 1), offer(4, 2)], staleTime: 0 });
    expect(qc.getQueryData<Offer[]>(keys.offers)!.map((o) => o.unread_count)).toEqual([0, 2]);
    stop();
  });

  it("leaves other conversations' badges alone, and the shown one while the tab is hidden", async () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 0)]);
    let visible = false;
    const stop = keepShownConversationRead(qc, 9, 107, () => visible);
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 3)], staleTime: 0 });
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([1, 3]);
    visible = true;
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 3)], staleTime: 0 });
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([0, 3]);
    stop();
  });
});

describe('applyNewMessage', () => {
  // A driver's counter at T, as the server announces it to the dispatcher: offer_updated and proposal_updated read
  // after the commit (their unread counts already hold the counter's rate proposal), then the rate proposal and the
  // system line of the same answer. The proposal's event travels in its own lane and may come after the messages.
  const before = '2026-11-27T17:00:00Z';
  const at = '2026-11-27T17:05:00.1234567Z';
  const offerAt = (unread: number, updated_at: string) => ({ id: 9, unread_count: unread, updated_at }) as Offer;
  const proposalAt = (unread: number, updated_at: string) =>
    ({ id: 70, offer_id: 9, driver_id: 107, unread_count: unread, updated_at, driver: null }) as Proposal;
  const message = (id: number, message_type: ChatMessage['message_type'], created_at = at, sender_type: ChatMessage['sender_type'] = 'driver') =>
    ({ id, offer_id: 9, driver_id: 107, sender_type, sender_id: 107, message: '', message_type, rate: null, is_read: false, read_at: null, created_at, client_message_id: null }) as ChatMessage;
  const notShown = () => false;

  function dispatcherCache() {
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offerAt(0, before)]);
    qc.setQueryData(keys.proposals(9), [proposalAt(0, before)]);
    return qc;
  }
  const counts = (qc: QueryClient) => [qc.getQueryData<Offer[]>(keys.offers)![0]!.unread_count, qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!.unread_count];

  it("counts a driver's counter once at every moment, whichever way its events arrive", () => {
    const events: Array<(qc: QueryClient) => void> = [
      (qc) => applyOffer(qc, offerAt(1, at)),
      (qc) => applyProposal(qc, proposalAt(1, at)),
      (qc) => applyNewMessage(qc, message(501, 'rate_proposal'), 'dispatcher', notShown),
      (qc) => applyNewMessage(qc, message(502, 'system'), 'dispatcher', notShown),
    ];
    for (const order of [[0, 1, 2, 3], [0, 2, 3, 1], [0, 2, 1, 3]]) {
      const qc = dispatcherCache();
      const seen = order.map((i) => (events[i]!(qc), counts(qc)));
      // [offer badge, conversation badge] after each event: never 2. The conversation's badge shows the counter from
      // its own event or from the message, whichever comes first.
      expect(seen, `order ${order.join(',')}`).toEqual([[1, 0], [1, 1], [1, 1], [1, 1]]);
    }
  });

  it("shows the driver's counter on their row as soon as the chat shows it, whichever of its events comes first", () => {
    // The chat renders the card from the rate proposal; the row reads the proposal. They must agree at every moment.
    const viewed = { ...proposalAt(0, before), status: 'viewed', driver_proposed_rate: null, dispatcher_proposed_rate: null, responded_at: null } as Proposal;
    const countered = { ...proposalAt(1, at), status: 'counter_offered', driver_proposed_rate: 2700, dispatcher_proposed_rate: null, responded_at: at } as Proposal;
    const card = { ...message(501, 'rate_proposal'), rate: 2700 };
    const events: Array<(qc: QueryClient) => void> = [
      (qc) => applyOffer(qc, offerAt(1, at)),
      (qc) => applyProposal(qc, countered),
      (qc) => applyNewMessage(qc, card, 'dispatcher', notShown),
      (qc) => applyNewMessage(qc, message(502, 'system'), 'dispatcher', notShown),
    ];
    for (const order of [[0, 1, 2, 3], [0, 2, 3, 1], [0, 2, 1, 3], [2, 0, 3, 1]]) {
      const qc = new QueryClient();
      qc.setQueryData(keys.offers, [offerAt(0, before)]);
      qc.setQueryData(keys.proposals(9), [viewed]);
      qc.setQueryData(keys.chat(9, 107), { messages: [], hasOlder: false, syncedId: 0 });
      for (const i of order) {
        events[i]!(qc);
        const row = qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!;
        const cardShown = qc.getQueryData<{ messages: ChatMessage[] }>(keys.chat(9, 107))!.messages.some((m) => m.id === 501);
        if (cardShown) {
          expect([row.status, tableRate(row), row.unread_count], `order ${order.join(',')} after ${i}`).toEqual(['counter_offered', 2700, 1]);
        }
      }
      const row = qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!;
      expect([row.status, row.driver_proposed_rate, row.unread_count, bookable({ ...offerAt(1, at), status: 'active', is_expired: false }, row)]).toEqual(['counter_offered', 2700, 1, true]);
    }
  });

  it("shows the dispatcher's counter back on the row (the driver's turn) before its proposal event", () => {
    const countered = { ...proposalAt(0, before), status: 'counter_offered', driver_proposed_rate: 2700, dispatcher_proposed_rate: null, responded_at: before } as Proposal;
    const qc = new QueryClient();
    qc.setQueryData(keys.proposals(9), [countered]);
    applyNewMessage(qc, { ...message(501, 'rate_proposal', at, 'dispatcher'), rate: 2600 }, 'dispatcher', notShown);
    const row = qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!;
    expect([proposalIndicator(row).label, tableRate(row), row.unread_count]).toEqual(['You countered', 2600, 0]);
  });

  it('does not put an earlier state back when its proposal event comes after the counter', () => {
    const qc = dispatcherCache();
    applyNewMessage(qc, { ...message(501, 'rate_proposal'), rate: 2700 }, 'dispatcher', notShown);
    applyProposal(qc, { ...proposalAt(0, '2026-11-27T17:04:00Z'), status: 'viewed', driver_proposed_rate: null } as Proposal);
    const row = qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!;
    expect([row.status, row.driver_proposed_rate]).toEqual(['counter_offered', 2700]);
  });

  it('takes a counter made after an accept (the driver may change their mind until booked)', () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.proposals(9), [{ ...proposalAt(0, before), status: 'accepted', agreed_rate: 2500 } as Proposal]);
    applyNewMessage(qc, { ...message(501, 'rate_proposal'), rate: 2700 }, 'dispatcher', notShown);
    const row = qc.getQueryData<Proposal[]>(keys.proposals(9))![0]!;
    expect([row.status, row.driver_proposed_rate, row.agreed_rate]).toEqual(['counter_offered', 2700, null]);
  });

  it('leaves a row that already holds the answer (or a later one) as it is', () => {
    const qc = new QueryClient();
    const later = { ...proposalAt(1, '2026-11-27T17:06:00Z'), status: 'accepted', driver_proposed_rate: 2700 } as Proposal;
    qc.setQueryData(keys.proposals(9), [later]);
    applyNewMessage(qc, { ...message(501, 'rate_proposal'), rate: 2650 }, 'dispatcher', notShown);
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))![0]).toEqual(later);
  });

  it("counts a dispatcher's counter back once on the driver's phone (one conversation, no proposals list)", () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offerAt(0, before)]);
    applyOffer(qc, offerAt(1, at));
    applyNewMessage(qc, message(501, 'rate_proposal', at, 'dispatcher'), 'driver', notShown);
    expect(qc.getQueryData<Offer[]>(keys.offers)![0]!.unread_count).toBe(1);
  });

  it('counts a rate proposal whose answer was not announced yet (a newer change of the offer will carry it)', () => {
    const qc = dispatcherCache();
    applyNewMessage(qc, message(501, 'rate_proposal'), 'dispatcher', notShown);
    expect(counts(qc)).toEqual([1, 1]);
  });

  it('counts a typed message once, also when it comes again or the catch-up brought it first', () => {
    const qc = dispatcherCache();
    qc.setQueryData(keys.chat(9, 107), { messages: [], hasOlder: false, syncedId: 0 });
    applyNewMessage(qc, message(501, 'text'), 'dispatcher', notShown);
    applyNewMessage(qc, message(501, 'text'), 'dispatcher', notShown);
    expect(counts(qc)).toEqual([1, 1]);
    expect(qc.getQueryData<{ messages: ChatMessage[] }>(keys.chat(9, 107))!.messages.map((m) => m.id)).toEqual([501]);
  });

  it('does not count our own messages, system lines, or a conversation on screen', () => {
    const qc = dispatcherCache();
    applyNewMessage(qc, message(501, 'text', at, 'dispatcher'), 'dispatcher', notShown);
    applyNewMessage(qc, message(502, 'system'), 'dispatcher', notShown);
    applyNewMessage(qc, message(503, 'text'), 'dispatcher', () => true);
    expect(counts(qc)).toEqual([0, 0]);
  });
});
