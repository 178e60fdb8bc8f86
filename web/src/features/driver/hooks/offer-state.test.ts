import { describe, expect, it } from 'vitest';
import type { Offer, Proposal } from '../../../lib/api/types';
import { offerState } from './use-my-offers';

const NOW = Date.parse('2026-11-25T12:00:00Z');

function offer(over: Partial<Offer> = {}, proposal: Partial<Proposal> = {}): Offer {
  return {
    status: 'active', is_expired: false, load_taken: false, expires_at: null, booked_rate: null,
    my_proposal: { status: 'viewed', ...proposal } as Proposal,
    ...over,
  } as Offer;
}

describe('offerState', () => {
  it('lets the driver answer an open offer', () => {
    expect(offerState(offer(), NOW)).toMatchObject({ open: true, canAnswer: true, banner: null });
  });

  it('says "load taken" and closes actions and chat when another driver was booked', () => {
    const s = offerState(offer({ status: 'completed', load_taken: true }), NOW);
    expect(s).toMatchObject({ open: false, canAnswer: false, chatOpen: false });
    expect(s.banner?.text).toMatch(/Load taken/);
  });

  it('tells the booked driver they got it and keeps the chat open', () => {
    const s = offerState(offer({ status: 'completed', booked_rate: 2800 }), NOW);
    expect(s).toMatchObject({ canAnswer: false, chatOpen: true });
    expect(s.banner?.text).toMatch(/booked.*\$2,800/);
  });

  it('closes a cancelled offer and one whose expiry passed while the page was open', () => {
    expect(offerState(offer({ status: 'cancelled' }), NOW).banner?.text).toMatch(/cancelled/);
    expect(offerState(offer({ expires_at: '2026-11-25T11:59:59Z' }), NOW)).toMatchObject({ open: false, canAnswer: false });
    expect(offerState(offer({ expires_at: '2026-11-25T12:00:01Z' }), NOW)).toMatchObject({ open: true, canAnswer: true });
  });

  it('takes no more answers on an expired offer but keeps its chat open, as the server and the dispatcher do', () => {
    // The dispatcher can still write after expiry (e.g. "I'll send you a new one"); the driver must be able to reply.
    for (const o of [offer({ expires_at: '2026-11-25T11:59:59Z' }), offer({ is_expired: true })]) {
      const s = offerState(o, NOW);
      expect(s).toMatchObject({ open: false, canAnswer: false, chatOpen: true });
      expect(s.banner?.text).toMatch(/expired/);
    }
    expect(offerState(offer({ status: 'cancelled' }), NOW).chatOpen).toBe(false);
  });

  it('offers no more answers once the driver accepted or declined', () => {
    expect(offerState(offer({}, { status: 'accepted' }), NOW)).toMatchObject({ open: true, canAnswer: false });
    expect(offerState(offer({}, { status: 'rejected' }), NOW)).toMatchObject({ open: true, canAnswer: false });
  });
});
