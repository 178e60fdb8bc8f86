import { api, query } from '../../../lib/api/client';

/** One message to a driver (offer link) from GET /api/outbox. Sign-in codes are never listed. */
export interface OutboxEntry {
  id: number;
  offer_id: number | null;
  truck_id: number | null;
  truck_number: string | null;
  driver_name: string | null;
  channel: 'sms' | 'email';
  recipient: string;
  subject: string | null;
  body: string;
  link: string | null;
  status: 'pending' | 'sent' | 'failed';
  /** manual: no sender is configured for the channel, the dispatcher passes the link on. */
  delivery: 'manual' | 'automatic';
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  created_at: string;
  sent_at: string | null;
}

export const listOutbox = (offerId: number, signal?: AbortSignal) =>
  api<OutboxEntry[]>(`/api/outbox${query({ offer_id: offerId })}`, { signal });

export const retryOutbox = (id: number) => api<OutboxEntry>(`/api/outbox/${id}/retry`, { method: 'POST' });
