import { describe, expect, it } from 'vitest';
import type { Offer, Proposal } from '../../../lib/api/types';
import { statusChip } from './status-chip';

const NOW = Date.parse('2026-11-27T18:00:00Z');
const offer = (p: Partial<Proposal>): Offer =>
  ({ status: 'active', is_expired: false, load_taken: false, expires_at: null, my_proposal: { status: 'viewed', ...p } as Proposal }) as Offer;

describe('statusChip', () => {
  it("says the driver's counter while the dispatcher has not answered it", () => {
    const o = offer({ status: 'counter_offered', driver_proposed_rate: 2800, dispatcher_proposed_rate: null, responded_at: '2026-11-27T17:00:00Z', updated_at: '2026-11-27T17:00:00Z' });
    expect(statusChip(o, NOW)).toEqual({ text: 'Countered $2,800', tone: 'info' });
  });

  it("says the dispatcher's rate once they countered back: the driver's turn, not their old counter", () => {
    const o = offer({ status: 'counter_offered', driver_proposed_rate: 2800, dispatcher_proposed_rate: 2650, responded_at: '2026-11-27T17:00:00Z', updated_at: '2026-11-27T17:02:00Z' });
    expect(statusChip(o, NOW)).toEqual({ text: 'Dispatcher offers $2,650', tone: 'new' });
  });

  it("goes back to the driver's counter when they counter again", () => {
    const o = offer({ status: 'counter_offered', driver_proposed_rate: 2700, dispatcher_proposed_rate: 2650, responded_at: '2026-11-27T17:05:00Z', updated_at: '2026-11-27T17:05:00Z' });
    expect(statusChip(o, NOW).text).toBe('Countered $2,700');
  });
});
