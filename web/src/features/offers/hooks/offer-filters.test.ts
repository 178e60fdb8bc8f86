import { describe, expect, it } from 'vitest';
import { bookable, effectiveStatus, filterOffers, proposalIndicator, statusLabel } from './offer-filters';
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
