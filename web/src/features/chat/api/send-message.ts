import { api } from '../../../lib/api/client';
import type { ChatMessage } from '../../../lib/api/types';

/** Idempotent by client_message_id: a resend returns the stored message instead of a second copy. */
export const sendMessage = (offerId: number, driverId: number, message: string, clientMessageId: string) =>
  api<ChatMessage>(`/api/offers/${offerId}/chat/${driverId}`, {
    method: 'POST',
    body: { message, client_message_id: clientMessageId },
  });
