import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxItem, type OutboxStorage } from './outbox';
import { ApiError } from '../api/problem';
import type { ChatMessage } from '../api/types';

function memoryStorage(): OutboxStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

/** A fake server that stores by client_message_id like the real one: a resend returns the stored row. */
function fakeServer() {
  const stored = new Map<string, ChatMessage>();
  let nextId = 1;
  const calls: string[] = [];
  let mode: 'up' | 'down' | 'lose-response' = 'up';
  const send = async (item: OutboxItem): Promise<ChatMessage> => {
    calls.push(item.client_message_id);
    if (mode === 'down') throw new ApiError(0, 'offline');
    let m = stored.get(item.client_message_id);
    if (!m) {
      m = {
        id: nextId++, offer_id: item.offer_id, driver_id: item.driver_id, sender_type: 'dispatcher', sender_id: 18,
        message: item.message, message_type: 'text', rate: null, is_read: false, read_at: null,
        created_at: new Date().toISOString(), client_message_id: item.client_message_id,
      };
      stored.set(item.client_message_id, m);
    }
    if (mode === 'lose-response') {
      mode = 'up';
      throw new ApiError(0, 'connection reset');
    }
    return m;
  };
  return { stored, calls, send, setMode: (m: typeof mode) => (mode = m) };
}

const item = (id: string, message = id) => ({ client_message_id: id, offer_id: 1, driver_id: 107, message });

describe('Outbox', () => {
  it('keeps messages typed offline, in order, and sends each exactly once when back', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    const sent: string[] = [];
    const outbox = new Outbox(storage, 'k', server.send, (i) => sent.push(i.client_message_id));
    server.setMode('down');
    outbox.enqueue(item('a'));
    outbox.enqueue(item('b'));
    await outbox.flush();
    expect(outbox.items().map((i) => i.client_message_id)).toEqual(['a', 'b']);
    expect(server.stored.size).toBe(0);

    server.setMode('up');
    await Promise.all([outbox.flush(), outbox.flush(), outbox.flush()]);
    expect(outbox.items()).toEqual([]);
    expect([...server.stored.values()].map((m) => m.message)).toEqual(['a', 'b']);
    expect(sent).toEqual(['a', 'b']);
  });

  it('survives a reload: a new outbox on the same storage still has what was waiting', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    server.setMode('down');
    new Outbox(storage, 'k', server.send).enqueue(item('x'));
    server.setMode('up');
    const reloaded = new Outbox(storage, 'k', server.send);
    expect(reloaded.items()).toHaveLength(1);
    await reloaded.flush();
    expect(server.stored.size).toBe(1);
    expect(reloaded.items()).toEqual([]);
  });

  it('resends with the same client_message_id when the answer was lost, so the server keeps one copy', async () => {
    const server = fakeServer();
    const outbox = new Outbox(memoryStorage(), 'k', server.send);
    server.setMode('lose-response');
    outbox.enqueue(item('c'));
    await outbox.flush();
    expect(outbox.items()).toHaveLength(1); // not confirmed yet
    await outbox.flush();
    expect(server.calls).toEqual(['c', 'c']);
    expect(server.stored.size).toBe(1);
    expect(outbox.items()).toEqual([]);
  });

  it('marks a message the server refuses for good as failed and goes on with the next', async () => {
    const calls: string[] = [];
    const outbox = new Outbox(memoryStorage(), 'k', async (i) => {
      calls.push(i.client_message_id);
      if (i.client_message_id === 'bad') throw new ApiError(409, 'This offer was cancelled; its chat is closed.');
      return { id: 1 } as ChatMessage;
    });
    outbox.enqueue(item('bad'));
    outbox.enqueue(item('good'));
    await outbox.flush();
    await outbox.flush();
    expect(calls).toEqual(['bad', 'good']);
    expect(outbox.items()).toEqual([expect.objectContaining({ client_message_id: 'bad', failed: 'This offer was cancelled; its chat is closed.' })]);
  });

  it('stops at a rate limit or a signed-out session without losing or reordering anything', async () => {
    let status = 429;
    const calls: string[] = [];
    const outbox = new Outbox(memoryStorage(), 'k', async (i) => {
      calls.push(i.client_message_id);
      if (status) throw new ApiError(status, 'no');
      return { id: 1 } as ChatMessage;
    });
    outbox.enqueue(item('1'));
    outbox.enqueue(item('2'));
    await outbox.flush();
    status = 401;
    await outbox.flush();
    expect(outbox.items().map((i) => i.client_message_id)).toEqual(['1', '2']);
    status = 0;
    await outbox.flush();
    expect(calls).toEqual(['1', '1', '1', '2']);
    expect(outbox.items()).toEqual([]);
  });
});
