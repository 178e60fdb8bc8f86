import { describe, expect, it } from 'vitest';
import { renderToStaticMarkup } from 'react-dom/server';
import type { Offer } from '../../../lib/api/types';
import { OfferCard } from './offer-card';

const offer = (over: Partial<Offer>): Offer =>
  ({
    id: 4, status: 'active', is_expired: false, expires_at: null, pickup_location: 'Rockford, IL', delivery_location: 'Dallas, TX',
    proposed_rate: 2500, booked_rate: null, distance_miles: 912, weight_lbs: null, unread_count: 0, counters: null, ...over,
  }) as Offer;

const metrics = (o: Offer) =>
  /<div class="offer-metrics">(.*?)<\/div>/.exec(renderToStaticMarkup(<OfferCard offer={o} selected={false} tabStop now={0} answers={0} onSelect={() => {}} />))![1]!
    .replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('OfferCard', () => {
  it('shows rate, miles and weight, and leaves an unknown weight out instead of a bare dash', () => {
    expect(metrics(offer({ weight_lbs: 38000 }))).toBe('$2,500 912 mi 38,000 lbs');
    expect(metrics(offer({ weight_lbs: null }))).toBe('$2,500 912 mi');
  });
});
