import type { ChatMessage } from '../../lib/api/types';

type RateFields = Pick<ChatMessage, 'id' | 'message_type' | 'rate'>;
type EchoFields = RateFields & Pick<ChatMessage, 'sender_type' | 'sender_id' | 'created_at'>;

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

/**
 * The audit lines that only repeat a counter-offer card: a counter writes its `rate_proposal` and then the system line
 * "… countered at $…" in the same answer (same sender, same instant, next in the conversation). The card already says
 * who proposed what and when, and carries the actions, so the line is left out of the chat; every other system line
 * stays. Told from structured fields, as above; `messages` in id order.
 */
export function counterEchoIds(messages: readonly EchoFields[]): Set<number> {
  const ids = new Set<number>();
  for (let i = 1; i < messages.length; i++) {
    const card = messages[i - 1]!;
    const line = messages[i]!;
    if (
      line.message_type === 'system' &&
      card.message_type === 'rate_proposal' &&
      card.rate != null &&
      line.sender_type === card.sender_type &&
      line.sender_id === card.sender_id &&
      Date.parse(line.created_at) === Date.parse(card.created_at)
    ) {
      ids.add(line.id);
    }
  }
  return ids;
}
