import { describe, expect, it } from 'vitest';
import type { Offer, Proposal } from '../../../lib/api/types';
import { attentionLabel, clearConversation, noteResponse, unseenIn, unseenTotal, type UnseenMap } from './unseen-responses';

const proposal = (over: Partial<Proposal>): Proposal =>
  ({
    id: 1, offer_id: 7, driver_id: 107, status: 'accepted', driver_proposed_rate: null, dispatcher_proposed_rate: null,
    agreed_rate: null, viewed_at: null, responded_at: '2026-11-27T10:00:00Z', created_at: '', updated_at: '', offer_status: 'active',
    is_booked: false, unread_count: 0, driver: null, ...over,
  }) as Proposal;

describe('unseen acceptances', () => {
  it('counts an acceptance once however often the same one arrives', () => {
    let m: UnseenMap = {};
    m = noteResponse(m, proposal({}));
    m = noteResponse(m, proposal({}));
    m = noteResponse(m, proposal({ driver_id: 120 }));
    expect(unseenIn(m, 7, 107)).toBe(1);
    expect(unseenIn(m, 7)).toBe(2);
  });

  it('counts a later acceptance by the same driver (after a counter back) again', () => {
    let m = noteResponse({}, proposal({}));
    m = noteResponse(m, proposal({ responded_at: '2026-11-27T10:05:00Z' }));
    expect(unseenIn(m, 7, 107)).toBe(2);
  });

  it('ignores counters (their rate card is an unread message already), views, rejections, bookings and closed offers', () => {
    let m: UnseenMap = {};
    for (const p of [
      proposal({ status: 'counter_offered', driver_proposed_rate: 2700 }),
      proposal({ status: 'viewed' }),
      proposal({ status: 'rejected' }),
      proposal({ status: 'accepted', is_booked: true }),
      proposal({ offer_status: 'cancelled' }),
    ])
      m = noteResponse(m, p);
    expect(m).toEqual({});
  });

  it('goes to zero when the conversation is looked at, and a late copy of the same answer does not bring it back', () => {
    let m = noteResponse({}, proposal({}));
    m = clearConversation(m, 7, 107);
    expect(unseenIn(m, 7, 107)).toBe(0);
    expect(noteResponse(m, proposal({}))).toBe(m);
  });

  it('totals only the offers still open', () => {
    let m = noteResponse({}, proposal({}));
    m = noteResponse(m, proposal({ offer_id: 8 }));
    const offer = (id: number, status: Offer['status']) => ({ id, status, expires_at: null }) as Offer;
    expect(unseenTotal(m, [offer(7, 'active'), offer(8, 'completed')])).toBe(1);
  });

  it('says what a badge counts', () => {
    expect(attentionLabel(2, 1)).toBe('2 unread messages, 1 new acceptance');
    expect(attentionLabel(1, 0)).toBe('1 unread message');
    expect(attentionLabel(0, 3)).toBe('3 new acceptances');
  });
});
