import { createStore } from '../store';

/** The conversation on screen, if any: its messages count as read and raise no toast. */
export const activeConversation = createStore<{ offerId: number; driverId: number } | null>(null);

export function isActive(offerId: number, driverId: number): boolean {
  const a = activeConversation.get();
  return !!a && a.offerId === offerId && a.driverId === driverId && document.visibilityState === 'visible';
}
