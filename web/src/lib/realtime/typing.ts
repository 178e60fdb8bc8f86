import { createStore } from '../store';
import type { TypingEvent } from '../api/types';

/** Who is typing where. A start with no stop expires after 6 s (the server's rule too): typing is never stored. */
export const typingStore = createStore<Record<string, { name: string; until: number }>>({});
const conv = (offerId: number, driverId: number) => `${offerId}:${driverId}`;

export function applyTyping(e: TypingEvent, now = Date.now()): void {
  typingStore.set((prev) => {
    const next = { ...prev };
    if (e.is_typing) next[conv(e.offer_id, e.driver_id)] = { name: e.name, until: now + 6000 };
    else delete next[conv(e.offer_id, e.driver_id)];
    return next;
  });
  if (e.is_typing) setTimeout(() => expireTyping(), 6100);
}

/** A message from someone ends their typing at once. */
export function clearTyping(offerId: number, driverId: number): void {
  typingStore.set((prev) => {
    if (!prev[conv(offerId, driverId)]) return prev;
    const next = { ...prev };
    delete next[conv(offerId, driverId)];
    return next;
  });
}

function expireTyping(now = Date.now()): void {
  typingStore.set((prev) => {
    const live = Object.entries(prev).filter(([, v]) => v.until > now);
    return live.length === Object.keys(prev).length ? prev : Object.fromEntries(live);
  });
}

export function typingIn(state: Record<string, { name: string; until: number }>, offerId: number, driverId: number): string | null {
  return state[conv(offerId, driverId)]?.name ?? null;
}
