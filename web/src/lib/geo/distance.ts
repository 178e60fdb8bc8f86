// Same estimate as the server (Features/Geo/Distance.cs): great-circle miles × a road factor.
export const ROAD_FACTOR = 1.17;
const EARTH_RADIUS_MILES = 3958.7613;

export interface LatLon {
  lat: number;
  lon: number;
}

export function greatCircleMiles(a: LatLon, b: LatLon): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Estimated road miles, rounded to a whole mile as a dispatcher would quote it. */
export function roadMiles(a: LatLon, b: LatLon): number {
  return Math.round(greatCircleMiles(a, b) * ROAD_FACTOR);
}

/** Rate per mile with cents, or null when it can't be computed (no distance yet, or nonsense input). */
export function ratePerMile(rate: number | null | undefined, miles: number | null | undefined): number | null {
  if (rate == null || miles == null || !Number.isFinite(rate) || !Number.isFinite(miles) || miles <= 0 || rate <= 0) return null;
  return Math.round((rate / miles) * 100) / 100;
}
