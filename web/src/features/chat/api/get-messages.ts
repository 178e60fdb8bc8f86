import { api, query } from '../../../lib/api/client';
import type { ChatMessage } from '../../../lib/api/types';

export interface MessagePage {
  messages: ChatMessage[];
  has_more?: boolean;
}

export interface PageParams {
  after_id?: number;
  before_id?: number;
  limit?: number;
}

/** One page of a conversation, oldest first. Accepts a bare array or `{ messages | items, has_more }`. */
export async function getMessages(offerId: number, driverId: number, params: PageParams, signal?: AbortSignal): Promise<MessagePage> {
  const body = await api<ChatMessage[] | { messages?: ChatMessage[]; items?: ChatMessage[]; has_more?: boolean }>(
    `/api/offers/${offerId}/chat/${driverId}${query({ ...params })}`,
    { signal },
  );
  const messages = (Array.isArray(body) ? body : (body.messages ?? body.items ?? [])).slice().sort((a, b) => a.id - b.id);
  return { messages, has_more: Array.isArray(body) ? undefined : body.has_more };
}
