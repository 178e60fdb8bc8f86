import type { ChatMessage } from '../../lib/api/types';

type RateFields = Pick<ChatMessage, 'id' | 'message_type' | 'rate'>;

/**
 * Which messages are counter-offers, told from structured fields only, never from the wording: every
 * `rate_proposal` with a rate, from either side (a driver's counter, a dispatcher's counter back). State changes,
 * an accept included, are `system` events and stay event lines.
 */
export function counterOfferIds(messages: readonly RateFields[]): Set<number> {
  const ids = new Set<number>();
  for (const m of messages) {
    if (m.message_type === 'rate_proposal' && m.rate != null) ids.add(m.id);
  }
  return ids;
}
