import type { ChatMessage } from '../../lib/api/types';

type RateFields = Pick<ChatMessage, 'id' | 'message_type' | 'sender_type' | 'rate'>;

/**
 * Which messages are counter-offers, told from structured fields only (message_type, sender_type, rate), never
 * from the wording:
 * - a `rate_proposal` with a rate, from either side (the dispatcher counters back this way);
 * - a `system` event from the driver with a rate that differs from the rate the dispatcher had on the table at that
 *   point: the driver's counter. The driver's accept (and the auto-booking it may trigger) carries a rate too, but
 *   it is the rate on the table, so it stays an event line.
 * The rate on the table starts at the offer's rate and follows every rate the dispatcher puts in the conversation
 * (a counter-back, a rate change, accepting a counter).
 */
export function counterOfferIds(messages: readonly RateFields[], offerRate: number | null | undefined): Set<number> {
  const ids = new Set<number>();
  let onTable = offerRate ?? null;
  for (const m of messages) {
    if (m.rate == null) continue;
    if (m.message_type === 'rate_proposal') ids.add(m.id);
    else if (m.message_type === 'system' && m.sender_type === 'driver' && m.rate !== onTable) ids.add(m.id);
    if (m.sender_type === 'dispatcher') onTable = m.rate;
  }
  return ids;
}
