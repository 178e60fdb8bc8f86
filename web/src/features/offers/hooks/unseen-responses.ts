import type { Offer, Proposal } from '../../../lib/api/types';
import { effectiveStatus } from './offer-filters';

/**
 * Acceptances that wait for the dispatcher to book and arrived while that conversation was not on screen. The
 * server's unread counts are chat messages only: a driver's counter comes with a rate-proposal message and so is
 * already counted, but an acceptance is only an audit line (which counts as read), so without this an acceptance that
 * lands while the dispatcher works on another offer is a toast that is gone in 6 s.
 * Per conversation ("offer:driver"): how many were not looked at, and the last one counted, so the same answer
 * delivered twice (a re-sent event, another tab) counts once.
 */
export interface Unseen {
  count: number;
  last: string;
}
export type UnseenMap = Record<string, Unseen>;

const key = (offerId: number, driverId: number) => `${offerId}:${driverId}`;

/** An acceptance the dispatcher has to act on (book, or lose the driver): not once the offer is closed or booked. */
export function waitsForDispatcher(p: Proposal): boolean {
  return p.offer_status === 'active' && !p.is_booked && p.status === 'accepted';
}

export function noteResponse(map: UnseenMap, p: Proposal): UnseenMap {
  if (!waitsForDispatcher(p)) return map;
  const k = key(p.offer_id, p.driver_id);
  const last = `${p.status}:${p.driver_proposed_rate ?? ''}:${p.responded_at ?? ''}`;
  const cur = map[k];
  if (cur?.last === last) return map;
  return { ...map, [k]: { count: (cur?.count ?? 0) + 1, last } };
}

/** Looked at: the count goes to zero, the last answer is kept so a late copy of it doesn't count again. */
export function clearConversation(map: UnseenMap, offerId: number, driverId: number): UnseenMap {
  const k = key(offerId, driverId);
  const cur = map[k];
  return cur && cur.count > 0 ? { ...map, [k]: { ...cur, count: 0 } } : map;
}

export function unseenIn(map: UnseenMap, offerId: number, driverId?: number): number {
  if (driverId != null) return map[key(offerId, driverId)]?.count ?? 0;
  let n = 0;
  for (const [k, v] of Object.entries(map)) if (k.startsWith(`${offerId}:`)) n += v.count;
  return n;
}

/** Over the offers still open (a booked, cancelled or expired offer waits for nobody's answer). */
export function unseenTotal(map: UnseenMap, offers: Offer[]): number {
  return offers.reduce((n, o) => n + (effectiveStatus(o) === 'active' ? unseenIn(map, o.id) : 0), 0);
}

/** "2 unread messages, 1 new acceptance": what a badge's number stands for, for a screen reader and a tooltip. */
export function attentionLabel(messages: number, answers: number): string {
  const parts = [];
  if (messages) parts.push(messages === 1 ? '1 unread message' : `${messages} unread messages`);
  if (answers) parts.push(answers === 1 ? '1 new acceptance' : `${answers} new acceptances`);
  return parts.join(', ');
}
