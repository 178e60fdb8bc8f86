import type { RealtimeConnection } from './connection';

// Client → server hub calls (names pinned in DESIGN.md; arguments as docs/protocol.md describes them).
// Typing and joins are best effort: losing one is harmless, and messages go through REST + the outbox.

export interface JoinResponse {
  offer_id: number;
  driver_id: number;
  last_message_id: number;
  unread_count: number;
  counterpart: { user_type: 'dispatcher' | 'driver'; id: number; is_online: boolean; last_seen: string | null };
}

export const joinConversation = (c: RealtimeConnection, offerId: number, driverId: number) =>
  c.tryInvoke<JoinResponse>('join_offer_chat', { offer_id: offerId, driver_id: driverId });

export const leaveConversation = (c: RealtimeConnection, offerId: number, driverId: number) =>
  c.tryInvoke('leave_offer_chat', { offer_id: offerId, driver_id: driverId });

export const typingStart = (c: RealtimeConnection, offerId: number, driverId: number) =>
  c.tryInvoke('typing_start', { offer_id: offerId, driver_id: driverId });

export const typingStop = (c: RealtimeConnection, offerId: number, driverId: number) =>
  c.tryInvoke('typing_stop', { offer_id: offerId, driver_id: driverId });

export const heartbeat = (c: RealtimeConnection) => c.tryInvoke('heartbeat', {});
