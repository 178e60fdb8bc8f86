import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { keys } from '../query-keys';
import type { Offer, Proposal } from '../api/types';
import { keepShownConversationRead } from './live-cache';

const offer = (id: number, unread: number) => ({ id, unread_count: unread }) as Offer;
const proposal = (offerId: number, driverId: number, unread: number) => ({ id: driverId, offer_id: offerId, driver_id: driverId, unread_count: unread }) as Proposal;

describe('keepShownConversationRead', () => {
  it("zeroes the shown conversation's badges when a re-read answered before our mark-read was applied", async () => {
    // After a reconnect the catch-up brings a message into the open chat (marked read at once) while the offers and
    // proposals are re-read; the server may answer the re-read before it has applied the read: unread 1 again.
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offer(9, 0), offer(4, 2)]);
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 0)]);
    const stop = keepShownConversationRead(qc, 9, 107, () => true);

    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 1), offer(4, 2)], staleTime: 0 });
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 0)], staleTime: 0 });

    expect(qc.getQueryData<Offer[]>(keys.offers)!.map((o) => o.unread_count)).toEqual([0, 2]);
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([0, 0]);
    stop();
  });

  it('also when the proposals were re-read after the read and only the offers came back stale', async () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.offers, [offer(9, 0)]);
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 2)]);
    const stop = keepShownConversationRead(qc, 9, 107, () => true);
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 0), proposal(9, 120, 2)], staleTime: 0 });
    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 3)], staleTime: 0 });
    // 1 of the 3 was the shown conversation's: the badge keeps what the other driver still has.
    expect(qc.getQueryData<Offer[]>(keys.offers)![0]!.unread_count).toBe(2);
    stop();
  });

  it("clears a driver's offer badge (a driver has one conversation per offer and no proposals list)", async () => {
    const qc = new QueryClient();
    const stop = keepShownConversationRead(qc, 9, 107, () => true);
    await qc.fetchQuery({ queryKey: keys.offers, queryFn: async () => [offer(9, 1), offer(4, 2)], staleTime: 0 });
    expect(qc.getQueryData<Offer[]>(keys.offers)!.map((o) => o.unread_count)).toEqual([0, 2]);
    stop();
  });

  it("leaves other conversations' badges alone, and the shown one while the tab is hidden", async () => {
    const qc = new QueryClient();
    qc.setQueryData(keys.proposals(9), [proposal(9, 107, 0), proposal(9, 120, 0)]);
    let visible = false;
    const stop = keepShownConversationRead(qc, 9, 107, () => visible);
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 3)], staleTime: 0 });
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([1, 3]);
    visible = true;
    await qc.fetchQuery({ queryKey: keys.proposals(9), queryFn: async () => [proposal(9, 107, 1), proposal(9, 120, 3)], staleTime: 0 });
    expect(qc.getQueryData<Proposal[]>(keys.proposals(9))!.map((p) => p.unread_count)).toEqual([0, 3]);
    stop();
  });
});
