import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { catchUp } from './catch-up';
import { keys, type ChatState } from '../query-keys';
import type { ChatMessage } from '../api/types';

const msg = (id: number, driverId = 107): ChatMessage => ({
  id, offer_id: 1, driver_id: driverId, sender_type: 'driver', sender_id: driverId, message: `m${id}`, message_type: 'text',
  rate: null, is_read: false, read_at: null, created_at: '2026-11-25T18:00:00Z', client_message_id: null,
});

describe('catchUp', () => {
  it('asks each open conversation for what came after its last message, page by page, and merges without duplicates', async () => {
    const qc = new QueryClient();
    const server: Record<number, ChatMessage[]> = {
      107: Array.from({ length: 250 }, (_, i) => msg(i + 1)),
      120: [msg(1000, 120), msg(1001, 120)],
    };
    qc.setQueryData<ChatState>(keys.chat(1, 107), { messages: server[107]!.slice(0, 20), hasOlder: false });
    qc.setQueryData<ChatState>(keys.chat(1, 120), { messages: [msg(1000, 120)], hasOlder: false });
    const asked: string[] = [];
    await catchUp(qc, async (_offer, driver, after, limit) => {
      asked.push(`${driver}>${after}`);
      return server[driver]!.filter((m) => m.id > after).slice(0, limit);
    });
    const a = qc.getQueryData<ChatState>(keys.chat(1, 107))!.messages.map((m) => m.id);
    expect(a).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    expect(qc.getQueryData<ChatState>(keys.chat(1, 120))!.messages.map((m) => m.id)).toEqual([1000, 1001]);
    expect(asked).toEqual(expect.arrayContaining(['107>20', '107>120', '107>220', '120>1000']));
  });

  it('is idempotent: catching up twice changes nothing the second time', async () => {
    const qc = new QueryClient();
    qc.setQueryData<ChatState>(keys.chat(1, 107), { messages: [msg(1)], hasOlder: false });
    const fetch = async (_o: number, _d: number, after: number) => [msg(2), msg(3)].filter((m) => m.id > after);
    await catchUp(qc, fetch);
    await catchUp(qc, fetch);
    expect(qc.getQueryData<ChatState>(keys.chat(1, 107))!.messages.map((m) => m.id)).toEqual([1, 2, 3]);
  });
});
