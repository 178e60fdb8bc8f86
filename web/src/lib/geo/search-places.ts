import { api, query } from '../api/client';
import type { Place } from '../api/types';

interface RawPlace {
  label?: string;
  name?: string;
  display_name?: string;
  city?: string;
  state?: string;
  zip?: string | null;
  lat?: number;
  latitude?: number;
  lon?: number;
  lng?: number;
  longitude?: number;
}

/** Address autocomplete from the offline gazetteer (`GET /api/geo/search?q=`). */
export async function searchPlaces(q: string, signal?: AbortSignal): Promise<Place[]> {
  const body = await api<RawPlace[] | { results?: RawPlace[]; items?: RawPlace[] }>(`/api/geo/search${query({ q })}`, { signal });
  const list = Array.isArray(body) ? body : (body.results ?? body.items ?? []);
  return list
    .map((p) => ({
      label: p.label ?? p.display_name ?? p.name ?? [p.city, [p.state, p.zip].filter(Boolean).join(' ')].filter(Boolean).join(', '),
      lat: Number(p.lat ?? p.latitude),
      lon: Number(p.lon ?? p.lng ?? p.longitude),
    }))
    .filter((p) => p.label && Number.isFinite(p.lat) && Number.isFinite(p.lon));
}
