import { describe, expect, it } from 'vitest';
import { awaitingDriver, bookable, effectiveStatus, filterOffers, proposalIndicator, statusLabel, tableRate } from './offer-filters';
import type { Offer, Proposal } from '../../../lib/api/types';

const offer = (id: number, over: Partial<Offer> = {}) =>
  ({ id, status: 'active', is_expired: false, pickup_location: 'Rockford, IL', delivery_location: 'Dallas, TX', notes: null, dimensions: null, ...over }) as Offer;

describe('filterOffers', () => {
  const list = [offer(1, { status: 'completed' }), offer(2), offer(3, { is_expired: true }), offer(4, { delivery_location: 'Houston, TX' })];
  it('puts active offers first, newest first', () => {
    expect(filterOffers(list, '', 'all').map((o) => o.id)).toEqual([4, 2, 3, 1]);
  });
  it('treats an active offer past its expiry as expired', () => {
    expect(filterOffers(list, '', 'active').map((o) => o.id)).toEqual([4, 2]);
    expect(filterOffers(list, '', 'expired').map((o) => o.id)).toEqual([3]);
  });
  it('searches route and id', () => {
    expect(filterOffers(list, 'houston', 'all').map((o) => o.id)).toEqual([4]);
    expect(filterOffers(list, '#3', 'all').map((o) => o.id)).toEqual([3]);
  });
});

describe('proposal indicators and booking', () => {
  const p = (status: Proposal['status'], over: Partial<Proposal> = {}) => ({ status, is_booked: false, driver_proposed_rate: null, driver_id: 107, offer_status: 'active', ...over }) as Proposal;
  it("shows the seed's indicators", () => {
    expect(proposalIndicator(p('sent')).icon).toBe('🟡');
    expect(proposalIndicator(p('viewed')).icon).toBe('🔵');
    expect(proposalIndicator(p('counter_offered')).icon).toBe('🟢');
    expect(proposalIndicator(p('accepted')).icon).toBe('✅');
    expect(proposalIndicator(p('rejected')).icon).toBe('❌');
    // The driver pressed Decline and the chat says "declined the offer": one word for it everywhere.
    expect(proposalIndicator(p('rejected')).label).toBe('Declined');
    expect(proposalIndicator(p('accepted', { is_booked: true })).label).toBe('Booked');
  });
  it('after a booking shows Booked for the booked driver and Not booked for every other, whatever they last did', () => {
    const booked = offer(1, { status: 'completed', booked_driver_id: 107 });
    expect(proposalIndicator(p('counter_offered', { driver_id: 107 }), booked).label).toBe('Booked');
    expect(proposalIndicator(p('counter_offered', { driver_id: 120 }), booked).label).toBe('Not booked');
    expect(proposalIndicator(p('viewed', { driver_id: 131 }), booked).label).toBe('Not booked');
    expect(proposalIndicator(p('accepted', { driver_id: 131 }), booked).title).toContain('last: accepted');
  });
  it('believes the proposal when its event arrives before the offer update', () => {
    const stillActive = offer(1);
    expect(proposalIndicator(p('viewed', { driver_id: 120, offer_status: 'completed' }), stillActive).label).toBe('Not booked');
    expect(proposalIndicator(p('accepted', { driver_id: 107, is_booked: true }), stillActive).label).toBe('Booked');
    expect(proposalIndicator(p('viewed', { offer_status: 'cancelled' }), offer(1, { status: 'cancelled' })).label).toBe('Cancelled');
    expect(proposalIndicator(p('viewed'), stillActive).label).toBe('Viewed');
  });
  it('lets Carl book only an accepted or countered driver on an open offer', () => {
    expect(bookable(offer(1), p('accepted'))).toBe(true);
    expect(bookable(offer(1), p('counter_offered', { driver_proposed_rate: 2700 }))).toBe(true);
    expect(bookable(offer(1), p('viewed'))).toBe(false);
    expect(bookable(offer(1, { is_expired: true }), p('accepted'))).toBe(false);
    expect(bookable(offer(1, { status: 'completed' }), p('accepted'))).toBe(false);
  });
});

describe('statusLabel', () => {
  it('calls a completed offer booked, as the Booked filter and the details do; the rest keep their names', () => {
    expect(statusLabel(effectiveStatus(offer(1, { status: 'completed' })))).toBe('booked');
    expect(statusLabel(effectiveStatus(offer(2, { is_expired: true })))).toBe('expired');
    expect(statusLabel(effectiveStatus(offer(3, { status: 'cancelled' })))).toBe('cancelled');
  });
});

describe('whose turn a countered proposal is', () => {
  const countered = (over: Partial<Proposal>) =>
    ({
      status: 'counter_offered', is_booked: false, driver_id: 107, offer_status: 'active', driver_proposed_rate: 2750, dispatcher_proposed_rate: null,
      responded_at: '2026-11-27T14:29:00.100Z', updated_at: '2026-11-27T14:29:00.100Z', ...over,
    }) as Proposal;

  it("is the dispatcher's after the driver's counter: countered, at the driver's rate", () => {
    const p = countered({});
    expect(proposalIndicator(p).label).toBe('Countered');
    expect(tableRate(p)).toBe(2750);
  });

  it("is the driver's after the dispatcher counters back: 'You countered', at the dispatcher's rate", () => {
    const p = countered({ dispatcher_proposed_rate: 2650, updated_at: '2026-11-27T14:31:00Z' });
    expect(awaitingDriver(p)).toBe(true);
    expect(proposalIndicator(p).label).toBe('You countered');
    expect(tableRate(p)).toBe(2650);
  });

  it("is the dispatcher's again when the driver counters once more, whatever the old counter back was", () => {
    const p = countered({ dispatcher_proposed_rate: 2650, driver_proposed_rate: 2700, responded_at: '2026-11-27T14:33:00Z', updated_at: '2026-11-27T14:33:00Z' });
    expect(proposalIndicator(p).label).toBe('Countered');
    expect(tableRate(p)).toBe(2700);
  });

  it('gives way to the outcome once the offer is booked', () => {
    const p = countered({ dispatcher_proposed_rate: 2650, updated_at: '2026-11-27T14:31:00Z' });
    expect(proposalIndicator(p, { status: 'completed', booked_driver_id: 120 }).label).toBe('Not booked');
  });
});
