import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { catchUp, caughtUp, forgetCatchUp, trackCatchUp } from './catch-up';
import { applyMessages } from './live-cache';
import { latestPageState } from './merge-messages';
import { keys, type ChatState, type PresenceMap } from '../query-keys';
import type { ChatMessage } from '../api/types';

const msg = (id: number, driverId = 107): ChatMessage => ({
  id, offer_id: 1, driver_id: driverId, sender_type: 'driver', sender_id: driverId, message: `m${id}`, message_type: 'text',
  rate: null, is_read: false, read_at: null, created_at: '2026-11-25T18:00:00Z', client_message_id: null,
});

describe('catchUp', () => {
  it("forgets drivers' presence heard before the gap, so the re-read trucks say who is online now", async () => {
    const qc = new QueryClient();
    qc.setQueryData<PresenceMap>(keys.presence, {
      'driver:107': { is_online: true, last_seen: '2026-11-25T18:00:00Z' },
      'dispatcher:1': { is_online: true, last_seen: '2026-11-25T18:00:00Z' },
    });
    await catchUp(qc, async () => []);
    expect(qc.getQueryData<PresenceMap>(keys.presence)).toEqual({ 'dispatcher:1': { is_online: true, last_seen: '2026-11-25T18:00:00Z' } });
  });

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

  it("still fetches the other side's messages stored before ours while the socket was down", async () => {
    // The socket drops after message 1. The driver's message 2 is stored while we can't hear it; our own message 3
    // (typed meanwhile) goes out by REST the moment the server is back and its answer lands in the cache before the
    // hub reconnects. The catch-up must still ask from 1, not from 3.
    const qc = new QueryClient();
    const mine = { ...msg(3), sender_type: 'dispatcher' as const, sender_id: 1 };
    qc.setQueryData<ChatState>(keys.chat(1, 107), latestPageState(undefined, { messages: [msg(1)], has_more: false }, 50));
    applyMessages(qc, 1, 107, [mine], { synced: false });
    const asked: number[] = [];
    await catchUp(qc, async (_o, _d, after) => {
      asked.push(after);
      return [msg(1), msg(2), mine].filter((m) => m.id > after);
    });
    expect(asked[0]).toBe(1);
    expect(qc.getQueryData<ChatState>(keys.chat(1, 107))!.messages.map((m) => m.id)).toEqual([1, 2, 3]);
    // Caught up: the next reconnect asks only for what came after 3.
    asked.length = 0;
    await catchUp(qc, async (_o, _d, after) => (asked.push(after), []));
    expect(asked).toEqual([3]);
  });

  it('does not let a live event seen past a gap move where the next catch-up starts', async () => {
    const qc = new QueryClient();
    qc.setQueryData<ChatState>(keys.chat(1, 107), latestPageState(undefined, { messages: [msg(1)], has_more: false }, 50));
    applyMessages(qc, 1, 107, [msg(5)], { synced: false });
    const asked: number[] = [];
    await catchUp(qc, async (_o, _d, after) => (asked.push(after), []));
    expect(asked).toEqual([1]);
  });
});

describe('trackCatchUp', () => {
  const gate = () => {
    let open!: () => void;
    let fail!: (e: Error) => void;
    const done = new Promise<void>((resolve, reject) => ((open = resolve), (fail = reject)));
    return { run: () => done, open, fail };
  };

  it('says caught up only once the latest catch-up has ended, failed ones included', async () => {
    const first = gate();
    const second = gate();
    const a = trackCatchUp(first.run);
    expect(caughtUp.get()).toBe(false);
    // A reconnect starts another before the first is done: the first ending is not the page settling.
    const b = trackCatchUp(second.run);
    first.open();
    await a;
    expect(caughtUp.get()).toBe(false);
    second.fail(new Error('offline'));
    await b;
    expect(caughtUp.get()).toBe(true);
  });

  it('forgets a catch-up still under way when the connection goes', async () => {
    const run = gate();
    const done = trackCatchUp(run.run);
    forgetCatchUp();
    run.open();
    await done;
    expect(caughtUp.get()).toBe(false);
  });
});

describe('latestPageState', () => {
  it('knows everything up to the last message of a first read, and whether older pages exist', () => {
    expect(latestPageState(undefined, { messages: [msg(7), msg(9)], has_more: true }, 50)).toMatchObject({ syncedId: 9, hasOlder: true });
    expect(latestPageState(undefined, { messages: [], has_more: false }, 50)).toMatchObject({ syncedId: 0, hasOlder: false });
  });

  it('on a re-read keeps older pages and only moves the sync point when the new page joins what was known', () => {
    const prev: ChatState = { messages: [msg(1), msg(2)], hasOlder: false, syncedId: 2 };
    expect(latestPageState(prev, { messages: [msg(2), msg(3)], has_more: true }, 50)).toMatchObject({ syncedId: 3, hasOlder: false });
    const gap = latestPageState(prev, { messages: [msg(10), msg(11)], has_more: true }, 50);
    expect(gap.messages.map((m) => m.id)).toEqual([1, 2, 10, 11]);
    expect(gap.syncedId).toBe(2);
  });
});
