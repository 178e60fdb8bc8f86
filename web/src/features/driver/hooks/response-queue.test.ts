import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../lib/api/problem';
import type { Proposal } from '../../../lib/api/types';
import { ResponseQueue, type QueuedResponse } from './response-queue';

function memory() {
  const data = new Map<string, string>();
  return { getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
}

const proposal = (id: number) => ({ id }) as Proposal;

describe('ResponseQueue', () => {
  it('keeps answers while offline and sends each exactly once, in order, when back', async () => {
    let online = false;
    const sent: string[] = [];
    const q = new ResponseQueue(memory(), 'k', async (r: QueuedResponse) => {
      if (!online) throw new ApiError(0, 'offline');
      sent.push(`${r.action}:${r.rate ?? ''}`);
      return proposal(r.proposal_id);
    });
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'counter', rate: 2300 });
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'accept' });
    await q.flush();
    expect(sent).toEqual([]);
    expect(q.items()).toHaveLength(2);

    online = true;
    await Promise.all([q.flush(), q.flush()]);
    await q.flush();
    expect(sent).toEqual(['counter:2300', 'accept:']);
    expect(q.items()).toHaveLength(0);
  });

  it('marks an answer the server refuses for good as failed and goes on with the next', async () => {
    const sent: string[] = [];
    const q = new ResponseQueue(memory(), 'k', async (r) => {
      if (r.action === 'accept') throw new ApiError(409, 'The load was booked by another driver.');
      sent.push(r.action);
      return proposal(1);
    });
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'accept' });
    q.enqueue({ offer_id: 2, proposal_id: 8, action: 'reject' });
    await q.flush();
    expect(sent).toEqual(['reject']);
    expect(q.items()).toEqual([expect.objectContaining({ action: 'accept', failed: 'The load was booked by another driver.' })]);
  });

  it("sends an accept with the rate the driver saw, and on a 409 keeps the server's words and hands on the offer as it is now", async () => {
    const bodies: unknown[] = [];
    const refused: unknown[] = [];
    const current = { id: 1, proposed_rate: 2700 };
    const q = new ResponseQueue(
      memory(),
      'k',
      async (r) => {
        bodies.push({ action: r.action, rate: r.rate });
        throw new ApiError(409, 'The rate on the table is now $2,700.00, not $2,500.00. Nothing was accepted; check it and answer again.', {}, { status: 409, current });
      },
      () => {},
      (_r, e) => refused.push((e.body as { current: unknown }).current),
    );
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'accept', rate: 2500 });
    await q.flush();
    expect(bodies).toEqual([{ action: 'accept', rate: 2500 }]);
    expect(q.items()).toEqual([expect.objectContaining({ action: 'accept', rate: 2500, failed: expect.stringContaining('now $2,700.00') })]);
    expect(refused).toEqual([current]);
  });

  it('survives a reload: the queue lives in storage', async () => {
    const storage = memory();
    new ResponseQueue(storage, 'k', async () => Promise.reject(new ApiError(0, 'offline'))).enqueue({ offer_id: 1, proposal_id: 7, action: 'reject' });
    const again = new ResponseQueue(storage, 'k', async () => proposal(7));
    expect(again.items()).toHaveLength(1);
    await again.flush();
    expect(again.items()).toHaveLength(0);
  });

  it("hands a decline's reason on only once the server took the decline, while the decline is still stored", async () => {
    let online = false;
    const handed: { text?: string; stillQueued: boolean }[] = [];
    const q: ResponseQueue = new ResponseQueue(
      memory(),
      'k',
      async (r) => {
        if (!online) throw new ApiError(0, 'offline');
        return proposal(r.proposal_id);
      },
      (r) => handed.push({ text: r.reason?.text, stillQueued: q.items().some((i) => i.key === r.key) }),
    );
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'reject', reason: { client_message_id: 'c-1', text: 'Too far' } });
    await q.flush();
    expect(handed).toEqual([]);
    expect(q.items()[0]?.reason).toEqual({ client_message_id: 'c-1', text: 'Too far' });

    online = true;
    await q.flush();
    expect(handed).toEqual([{ text: 'Too far', stillQueued: true }]);
    expect(q.items()).toHaveLength(0);
  });

  it('counts a repeat refused because the first try landed (its response lost) as done, not as a failure', async () => {
    const done: string[] = [];
    const refused: string[] = [];
    const now = (status: string) => ({ id: 1, my_proposal: { id: 7, status } });
    const q = new ResponseQueue(
      memory(),
      'k',
      async (r) => {
        const status = r.action === 'reject' ? 'rejected' : 'viewed';
        throw new ApiError(409, `This proposal was ${status}; it can't ${r.action} any more.`, {}, { status: 409, current: now(status) });
      },
      (r, p) => done.push(`${r.action}:${p.status}`),
      (r) => refused.push(r.action),
    );
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'reject', reason: { client_message_id: 'c-1', text: 'Too far' } });
    q.enqueue({ offer_id: 1, proposal_id: 7, action: 'counter', rate: 2600 });
    await q.flush();
    expect(done).toEqual(['reject:rejected']);
    expect(refused).toEqual(['counter']);
    expect(q.items()).toEqual([expect.objectContaining({ action: 'counter', failed: expect.stringContaining("can't counter") })]);
  });
});
