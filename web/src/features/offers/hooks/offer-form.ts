import type { Offer } from '../../../lib/api/types';
import type { OfferInput } from '../api/offer-input';
import { roadMiles } from '../../../lib/geo/distance';
import { wholeCents } from '../../../lib/format';

/** The create/edit form as typed: strings, so half-typed numbers and dates survive in drafts. */
export interface OfferForm {
  pickup_location: string;
  pickup_lat: number | null;
  pickup_lon: number | null;
  delivery_location: string;
  delivery_lat: number | null;
  delivery_lon: number | null;
  pickup_window_start: string;
  pickup_window_end: string;
  delivery_window_start: string;
  delivery_window_end: string;
  weight_lbs: string;
  dimensions: string;
  distance_miles: string;
  /** True once the dispatcher typed a distance: then we stop overwriting it. */
  distance_edited: boolean;
  proposed_rate: string;
  notes: string;
  auto_book: boolean;
  expires_at: string;
}

export const emptyOfferForm: OfferForm = {
  pickup_location: '',
  pickup_lat: null,
  pickup_lon: null,
  delivery_location: '',
  delivery_lat: null,
  delivery_lon: null,
  pickup_window_start: '',
  pickup_window_end: '',
  delivery_window_start: '',
  delivery_window_end: '',
  weight_lbs: '',
  dimensions: '',
  distance_miles: '',
  distance_edited: false,
  proposed_rate: '',
  notes: '',
  auto_book: false,
  expires_at: '',
};

// Limits mirror the server's validation (docs/protocol.md); the server stays the judge.
export const LIMITS = { location: 500, notes: 4000, dimensions: 100, rate: 1_000_000, weight: 200_000, distance: 10_000, drivers: 1000 };

const num = (s: string) => (s.trim() === '' ? null : Number(s.replace(/[,$\s]/g, '')));
/** `datetime-local` value (local time) → ISO UTC, or null. */
export const toIso = (s: string) => (s ? new Date(s).toISOString() : null);
/** ISO → `datetime-local` value in local time. */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Distance from the two picked places, unless the dispatcher typed their own. */
export function autoDistance(f: OfferForm): string {
  if (f.distance_edited) return f.distance_miles;
  if (f.pickup_lat == null || f.pickup_lon == null || f.delivery_lat == null || f.delivery_lon == null) return f.distance_miles;
  return String(roadMiles({ lat: f.pickup_lat, lon: f.pickup_lon }, { lat: f.delivery_lat, lon: f.delivery_lon }));
}

export function validateOffer(f: OfferForm, driverCount: number | null, now = Date.now()): Record<string, string> {
  const e: Record<string, string> = {};
  const text = (key: 'pickup_location' | 'delivery_location', label: string) => {
    const v = f[key].trim();
    if (!v) e[key] = `${label} is required.`;
    else if (v.length > LIMITS.location) e[key] = `${label} can be at most ${LIMITS.location} characters.`;
  };
  text('pickup_location', 'Pickup location');
  text('delivery_location', 'Delivery location');

  const positive = (key: 'proposed_rate' | 'weight_lbs' | 'distance_miles', label: string, max: number, required: boolean) => {
    const v = num(f[key]);
    if (v === null) {
      if (required) e[key] = `${label} is required.`;
    } else if (!Number.isFinite(v)) e[key] = `${label} must be a number.`;
    else if (v <= 0) e[key] = `${label} must be greater than 0.`;
    else if (v > max) e[key] = `${label} can be at most ${max.toLocaleString('en-US')}.`;
    else if (key === 'proposed_rate' && !wholeCents(v)) e[key] = `${label} is in dollars and cents: at most 2 decimal places.`;
  };
  positive('proposed_rate', 'Rate', LIMITS.rate, true);
  positive('weight_lbs', 'Weight', LIMITS.weight, false);
  positive('distance_miles', 'Distance', LIMITS.distance, false);

  const ordered = (startKey: keyof OfferForm, endKey: keyof OfferForm, label: string) => {
    const s = f[startKey] as string;
    const en = f[endKey] as string;
    if (s && en && new Date(en) < new Date(s)) e[endKey] = `${label} window must end after it starts.`;
  };
  ordered('pickup_window_start', 'pickup_window_end', 'Pickup');
  ordered('delivery_window_start', 'delivery_window_end', 'Delivery');
  if (f.pickup_window_start && f.delivery_window_end && new Date(f.delivery_window_end) < new Date(f.pickup_window_start)) {
    e.delivery_window_end ??= 'Delivery must end after pickup starts.';
  }
  if (f.dimensions.length > LIMITS.dimensions) e.dimensions = `Dimensions can be at most ${LIMITS.dimensions} characters.`;
  if (f.notes.length > LIMITS.notes) e.notes = `Notes can be at most ${LIMITS.notes} characters.`;
  if (f.expires_at && new Date(f.expires_at).getTime() <= now) e.expires_at = 'Expiry must be in the future.';
  if (driverCount !== null) {
    if (driverCount < 1) e.driver_ids = 'Select at least one truck.';
    else if (driverCount > LIMITS.drivers) e.driver_ids = `At most ${LIMITS.drivers} trucks per offer.`;
  }
  return e;
}

export function toOfferInput(f: OfferForm): OfferInput {
  return {
    pickup_location: f.pickup_location.trim(),
    pickup_lat: f.pickup_lat,
    pickup_lon: f.pickup_lon,
    delivery_location: f.delivery_location.trim(),
    delivery_lat: f.delivery_lat,
    delivery_lon: f.delivery_lon,
    pickup_window_start: toIso(f.pickup_window_start),
    pickup_window_end: toIso(f.pickup_window_end),
    delivery_window_start: toIso(f.delivery_window_start),
    delivery_window_end: toIso(f.delivery_window_end),
    weight_lbs: num(f.weight_lbs),
    dimensions: f.dimensions.trim() || null,
    distance_miles: num(f.distance_miles),
    proposed_rate: num(f.proposed_rate) ?? 0,
    notes: f.notes.trim() || null,
    auto_book: f.auto_book,
    expires_at: toIso(f.expires_at),
  };
}

export function formFromOffer(o: Offer): OfferForm {
  const s = (v: number | null) => (v == null ? '' : String(v));
  return {
    pickup_location: o.pickup_location,
    pickup_lat: o.pickup_lat,
    pickup_lon: o.pickup_lon,
    delivery_location: o.delivery_location,
    delivery_lat: o.delivery_lat,
    delivery_lon: o.delivery_lon,
    pickup_window_start: toLocalInput(o.pickup_window_start),
    pickup_window_end: toLocalInput(o.pickup_window_end),
    delivery_window_start: toLocalInput(o.delivery_window_start),
    delivery_window_end: toLocalInput(o.delivery_window_end),
    weight_lbs: s(o.weight_lbs),
    dimensions: o.dimensions ?? '',
    distance_miles: s(o.distance_miles),
    distance_edited: true,
    proposed_rate: String(o.proposed_rate),
    notes: o.notes ?? '',
    auto_book: o.auto_book,
    expires_at: toLocalInput(o.expires_at),
  };
}
