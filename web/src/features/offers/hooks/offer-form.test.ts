import { describe, expect, it } from 'vitest';
import { autoDistance, emptyOfferForm, toOfferInput, validateOffer, type OfferForm } from './offer-form';

const valid: OfferForm = {
  ...emptyOfferForm,
  pickup_location: 'Rockford, IL', pickup_lat: 42.2711, pickup_lon: -89.094,
  delivery_location: 'Dallas, TX', delivery_lat: 32.7767, delivery_lon: -96.797,
  proposed_rate: '2500',
};

describe('validateOffer (mirrors the server)', () => {
  it('accepts a minimal offer', () => {
    expect(validateOffer(valid, 3)).toEqual({});
  });

  it('names each bad field with what is allowed', () => {
    const e = validateOffer(
      {
        ...valid, pickup_location: ' ', proposed_rate: '0', weight_lbs: '250000', distance_miles: 'abc', notes: 'x'.repeat(4001),
        pickup_window_start: '2026-12-01T10:00', pickup_window_end: '2026-12-01T08:00', expires_at: '2020-01-01T00:00',
      },
      0,
    );
    expect(Object.keys(e).sort()).toEqual(
      ['distance_miles', 'driver_ids', 'expires_at', 'notes', 'pickup_location', 'pickup_window_end', 'proposed_rate', 'weight_lbs'].sort(),
    );
    expect(e.proposed_rate).toBe('Rate must be greater than 0.');
    expect(e.weight_lbs).toBe('Weight can be at most 200,000.');
  });

  it('takes a rate in dollars and cents, as the server does', () => {
    expect(validateOffer({ ...valid, proposed_rate: '2,499.99' }, 1)).toEqual({});
    expect(validateOffer({ ...valid, proposed_rate: '0.29' }, 1)).toEqual({});
    expect(validateOffer({ ...valid, proposed_rate: '2499.995' }, 1).proposed_rate).toBe('Rate is in dollars and cents: at most 2 decimal places.');
  });

  it('requires delivery to end after pickup starts', () => {
    const e = validateOffer({ ...valid, pickup_window_start: '2026-12-02T10:00', delivery_window_end: '2026-12-01T10:00' }, 1);
    expect(e.delivery_window_end).toMatch(/after pickup/);
  });
});

describe('autoDistance and toOfferInput', () => {
  it('estimates the distance from both places until the dispatcher types their own', () => {
    expect(Number(autoDistance(valid))).toBeGreaterThan(850);
    expect(autoDistance({ ...valid, distance_miles: '1000', distance_edited: true })).toBe('1000');
    expect(autoDistance({ ...valid, delivery_lat: null, delivery_lon: null, distance_miles: '' })).toBe('');
  });

  it('sends numbers as numbers, blanks as null and times as UTC', () => {
    const input = toOfferInput({ ...valid, weight_lbs: '38,000', proposed_rate: '$2,500', dimensions: ' ', pickup_window_start: '2026-12-01T10:00' });
    expect(input.weight_lbs).toBe(38000);
    expect(input.proposed_rate).toBe(2500);
    expect(input.dimensions).toBeNull();
    expect(input.pickup_window_start).toBe(new Date('2026-12-01T10:00').toISOString());
    expect(input.expires_at).toBeNull();
  });
});
