import { api } from '../../../lib/api/client';

/** Marks everything up to this message read for my side of the conversation. */
export const markRead = (messageId: number) => api<unknown>(`/api/chat/${messageId}/read`, { method: 'PUT' });
