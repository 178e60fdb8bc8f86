import type { QueryClient } from '@tanstack/react-query';
import type { ChatMessage, MessageReadEvent, Offer, PresenceEvent, Proposal, SenderType, Truck } from '../api/types';
import { keys, presenceKey, type ChatState, type PresenceMap } from '../query-keys';
import { lastId, markReadUpTo, mergeMessages } from './merge-messages';

// How hub events land in TanStack Query's cache. The cache is what every screen renders, so an event shows up
// everywhere at once, and a re-read after reconnect simply overwrites it with the truth.

export function upsertById<T extends { id: number }>(list: T[] | undefined, item: T, prepend = false): T[] | undefined {
  if (!list) return list;
  const i = list.findIndex((x) => x.id === item.id);
  if (i === -1) return prepend ? [item, ...list] : [...list, item];
  const next = list.slice();
  next[i] = { ...list[i], ...item };
  return next;
}

export function applyOffer(qc: QueryClient, offer: Offer): void {
  qc.setQueryData<Offer[]>(keys.offers, (list) => upsertById(list, offer, true));
}

/**
 * A `proposal_updated`. One older than the row we hold is skipped: the row already came from a later answer (its rate
 * proposal, see `counterFromMessage`), and a late event of an earlier state would put the old status back for a moment.
 */
export function applyProposal(qc: QueryClient, p: Proposal): void {
  qc.setQueryData<Proposal[]>(keys.proposals(p.offer_id), (list) => {
    if (!list) return list;
    // Keep the driver block we already have if the event omits it.
    const old = list.find((x) => x.id === p.id);
    if (old && Date.parse(p.updated_at) < Date.parse(old.updated_at)) return list;
    return upsertById(list, { ...p, driver: p.driver ?? old?.driver ?? null });
  });
}

/**
 * What a rate proposal says about its proposal, for a row older than the message: a driver's counter (status
 * `counter_offered` at that rate, answered then) or a dispatcher's counter back (their rate, the driver's turn). The
 * answer's own `proposal_updated` travels in another lane and may come after the message; until it does, the driver
 * row would say "Viewed" beside a chat that shows the counter and its Accept. The event then overwrites the row
 * with the same values (same instant, so it is not skipped as older).
 */
function counterFromMessage(p: Proposal, m: ChatMessage): Proposal {
  if (m.rate == null || Date.parse(p.updated_at) >= Date.parse(m.created_at)) return p;
  return m.sender_type === 'driver'
    ? { ...p, status: 'counter_offered', driver_proposed_rate: m.rate, agreed_rate: null, responded_at: m.created_at, viewed_at: p.viewed_at ?? m.created_at, updated_at: m.created_at }
    : { ...p, dispatcher_proposed_rate: m.rate, updated_at: m.created_at };
}

export function applyTruck(qc: QueryClient, t: Truck): void {
  qc.setQueryData<Truck[]>(keys.trucks, (list) => upsertById(list, t));
}

/**
 * Merges messages into a cached conversation. Only a page read from the server right after the sync point
 * (`synced: true`, the catch-up) moves that point; a live event or our own stored send may sit past a gap.
 */
export function applyMessages(qc: QueryClient, offerId: number, driverId: number, messages: ChatMessage[], { synced = false } = {}): void {
  qc.setQueryData<ChatState>(keys.chat(offerId, driverId), (state) => {
    if (!state) return state;
    const syncedId = synced ? Math.max(state.syncedId ?? 0, lastId(messages) ?? 0) : state.syncedId;
    return { ...state, messages: mergeMessages(state.messages, messages), syncedId };
  });
}

/**
 * A `new_message` event: into its conversation if that is cached, and onto the unread badges unless it is ours, a
 * system line, or its conversation is on screen. Counted once: a message the conversation already holds was counted
 * when it first came (the catch-up or an earlier delivery brought it). A rate proposal (a counter, a counter back) is
 * written by an answer that touches the offer and the proposal at the same instant, and that answer's `offer_updated`
 * and `proposal_updated` carry unread counts with the proposal already in them: the offer's comes before the message,
 * the proposal's before or after. So a rate proposal raises only a cached row older than itself.
 */
export function applyNewMessage(qc: QueryClient, m: ChatMessage, me: SenderType, isShown: (offerId: number, driverId: number) => boolean): void {
  const known = qc.getQueryData<ChatState>(keys.chat(m.offer_id, m.driver_id))?.messages.some((x) => x.id === m.id) ?? false;
  applyMessages(qc, m.offer_id, m.driver_id, [m]);
  const counts = !(known || m.sender_type === me || m.message_type === 'system' || isShown(m.offer_id, m.driver_id));
  const at = Date.parse(m.created_at);
  const bump = <T extends { unread_count: number; updated_at: string }>(row: T): T =>
    !counts || (m.message_type === 'rate_proposal' && Date.parse(row.updated_at) >= at) ? row : { ...row, unread_count: row.unread_count + 1 };
  // Counted against the row as it was, then the row takes the counter: one write, so no screen sees half of it.
  const rowFor = (p: Proposal) => (m.message_type === 'rate_proposal' ? counterFromMessage(bump(p), m) : bump(p));
  if (m.message_type === 'rate_proposal' || counts) {
    qc.setQueryData<Proposal[]>(keys.proposals(m.offer_id), (list) => list?.map((p) => (p.driver_id === m.driver_id ? rowFor(p) : p)));
  }
  if (!counts) return;
  qc.setQueryData<Offer[]>(keys.offers, (list) => list?.map((o) => (o.id === m.offer_id ? bump(o) : o)));
}

export function applyRead(qc: QueryClient, e: MessageReadEvent): void {
  qc.setQueryData<ChatState>(keys.chat(e.offer_id, e.driver_id), (state) =>
    state ? { ...state, messages: markReadUpTo(state.messages, e.reader_type, e.up_to_id, e.read_at) } : state,
  );
}

/**
 * Bumps (or clears, with delta = -Infinity) the unread badges of one conversation and its offer. A cleared offer keeps
 * what its other conversations still hold, by the proposals list when there is one (a dispatcher); a driver has one
 * conversation per offer and no such list, so theirs goes to zero.
 */
export function adjustUnread(qc: QueryClient, offerId: number, driverId: number, delta: number): void {
  const clear = delta === -Infinity;
  const conversations = qc.setQueryData<Proposal[]>(keys.proposals(offerId), (list) =>
    list?.map((p) => (p.driver_id === driverId ? { ...p, unread_count: Math.max(0, p.unread_count + delta) } : p)),
  );
  const rest = conversations ? conversations.reduce((n, p) => n + p.unread_count, 0) : 0;
  qc.setQueryData<Offer[]>(keys.offers, (list) =>
    list?.map((o) => (o.id === offerId ? { ...o, unread_count: clear ? rest : Math.max(0, o.unread_count + delta) } : o)),
  );
}

export function applyPresence(qc: QueryClient, e: PresenceEvent): void {
  qc.setQueryData<PresenceMap>(keys.presence, (map) => ({
    ...(map ?? {}),
    [presenceKey(e.user_type, e.user_id)]: { is_online: e.is_online, last_seen: e.last_seen },
  }));
}

/**
 * While a conversation is on screen its badges stay at zero, also when a re-read of the offers or proposals (after a
 * reconnect, say) was answered before the server applied our mark-read and brings the old count back.
 * Only fetched data is corrected: our own cache writes (this one included) are left alone.
 */
export function keepShownConversationRead(qc: QueryClient, offerId: number, driverId: number, isShown: () => boolean): () => void {
  return qc.getQueryCache().subscribe((e) => {
    if (e.type !== 'updated' || e.action.type !== 'success' || e.action.manual) return;
    const [kind, id] = e.query.queryKey as [string, unknown];
    if ((kind === 'offers' || (kind === 'proposals' && id === offerId)) && isShown()) adjustUnread(qc, offerId, driverId, -Infinity);
  });
}
