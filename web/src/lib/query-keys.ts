import type { ChatMessage } from './api/types';

export const keys = {
  trucks: ['trucks'] as const,
  offers: ['offers'] as const,
  proposals: (offerId: number) => ['proposals', offerId] as const,
  chat: (offerId: number, driverId: number) => ['chat', offerId, driverId] as const,
  presence: ['presence'] as const,
};

/** A conversation in the query cache: messages oldest first, and whether older ones exist on the server. */
export interface ChatState {
  messages: ChatMessage[];
  hasOlder: boolean;
  /**
   * Every message up to this id is in `messages`: where the next catch-up starts. Not simply the last id: our own
   * sends (answered by REST) and live events can land past messages the socket missed while it was down.
   */
  syncedId?: number;
}

/** Online state by `driver:<truck id>` or `dispatcher:<user id>`. */
export type PresenceMap = Record<string, { is_online: boolean; last_seen: string | null }>;
export const presenceKey = (userType: string, id: number) => `${userType}:${id}`;
