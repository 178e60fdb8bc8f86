/** The body of POST/PUT /api/offers: what a dispatcher types. */
export interface OfferInput {
  pickup_location: string;
  pickup_lat: number | null;
  pickup_lon: number | null;
  delivery_location: string;
  delivery_lat: number | null;
  delivery_lon: number | null;
  pickup_window_start: string | null;
  pickup_window_end: string | null;
  delivery_window_start: string | null;
  delivery_window_end: string | null;
  weight_lbs: number | null;
  dimensions: string | null;
  distance_miles: number | null;
  proposed_rate: number;
  notes: string | null;
  auto_book: boolean;
  expires_at: string | null;
  /** Create only: send the new offer to these trucks in the same transaction. */
  driver_ids?: number[];
}
