import { describe, expect, it } from 'vitest';
import { markReadUpTo, mergeMessages } from './merge-messages';
import type { ChatMessage } from '../api/types';

const msg = (id: number, sender: 'dispatcher' | 'driver' = 'driver', extra: Partial<ChatMessage> = {}): ChatMessage => ({
  id, offer_id: 1, driver_id: 107, sender_type: sender, sender_id: sender === 'driver' ? 107 : 18, message: `m${id}`,
  message_type: 'text', rate: null, is_read: false, read_at: null, created_at: '2026-11-25T18:00:00Z', client_message_id: null, ...extra,
});
const ids = (list: ChatMessage[]) => list.map((m) => m.id);

describe('mergeMessages', () => {
  it('appends newer messages', () => {
    expect(ids(mergeMessages([msg(1), msg(2)], [msg(3), msg(4)]))).toEqual([1, 2, 3, 4]);
  });

  it('drops what live events already delivered when a catch-up page overlaps, and keeps id order', () => {
    const live = [msg(1), msg(2), msg(5)]; // 3 and 4 were lost while the socket was down
    const catchUp = [msg(3), msg(4), msg(5), msg(6)];
    expect(ids(mergeMessages(live, catchUp))).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('prepends older history and ignores repeats, whatever order pages arrive in', () => {
    const a = mergeMessages([msg(10), msg(11)], [msg(8), msg(9), msg(10)]);
    const b = mergeMessages(a, [msg(11), msg(9)]);
    expect(ids(b)).toEqual([8, 9, 10, 11]);
  });

  it('takes the newer copy of a message (e.g. now read)', () => {
    const merged = mergeMessages([msg(1)], [msg(1, 'driver', { is_read: true })]);
    expect(merged).toHaveLength(1);
    expect(merged[0]!.is_read).toBe(true);
  });

  it('returns the same array when nothing arrives (no re-render)', () => {
    const list = [msg(1)];
    expect(mergeMessages(list, [])).toBe(list);
  });
});

describe('markReadUpTo', () => {
  it("marks the other side's messages up to the id as read by the reader, never the reader's own", () => {
    const list = [msg(1, 'dispatcher'), msg(2, 'driver'), msg(3, 'dispatcher'), msg(4, 'dispatcher')];
    const read = markReadUpTo(list, 'driver', 3, '2026-11-25T18:05:00Z');
    expect(read.map((m) => m.is_read)).toEqual([true, false, true, false]);
  });

  it('never moves back: an older receipt leaves later reads as they are', () => {
    const list = [msg(1, 'dispatcher', { is_read: true }), msg(2, 'dispatcher', { is_read: true })];
    expect(markReadUpTo(list, 'driver', 1, 'x')).toBe(list);
  });
});
