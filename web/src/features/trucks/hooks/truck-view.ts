import type { Truck } from '../../../lib/api/types';
import { roadMiles, type LatLon } from '../../../lib/geo/distance';
import { fmtRpm } from '../../../lib/format';

export type SortKey = 'truck_number' | 'driver_name' | 'status' | 'city_state_zip' | 'dimensions' | 'rate' | 'cell_phone' | 'updated_at' | 'distance';

export interface TruckFilter {
  search: string;
  status: string;
  origin: (LatLon & { label: string }) | null;
  radiusMiles: number | null;
  sort: { key: SortKey; dir: 'asc' | 'desc' };
}

export interface TruckRow extends Truck {
  distance: number | null;
}

const collator = new Intl.Collator('en-US', { numeric: true, sensitivity: 'base' });

function sortValue(r: TruckRow, key: SortKey): string | number | null {
  switch (key) {
    case 'distance':
      return r.distance;
    case 'rate':
      // The number the column shows; text that is no single rate sorts with the blanks.
      return truckRate(r.rate);
    case 'updated_at':
      return r.updated_at ? Date.parse(r.updated_at) : null;
    default:
      return r[key] ?? null;
  }
}

/**
 * A truck's legacy `rate` text (docs/protocol.md: a rate per mile, e.g. "2.15") as a number, when it is just one:
 * "2.15", "$2.15", "2.15/mi". Anything else a legacy row holds ("2.10 loaded, 1.80 empty") is no single rate.
 */
function truckRate(raw: string | null | undefined): number | null {
  const m = /^\s*\$?\s*(\d+(?:\.\d+)?)\s*(?:\/\s*mi(?:le)?)?\s*$/i.exec(raw ?? '');
  return m ? Number(m[1]) : null;
}

/** The Rate column: "$2.15/mi", as every rate per mile in the app; other text as the legacy system stored it. */
export function truckRateText(raw: string | null | undefined): string {
  const n = truckRate(raw);
  return n != null ? fmtRpm(n) : raw?.trim() || '—';
}

/** Search, status, distance and radius filters, then the chosen sort. Rows without a value sort last either way. */
export function viewTrucks(trucks: readonly Truck[], f: TruckFilter): TruckRow[] {
  const words = f.search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const digits = f.search.replace(/\D/g, '');
  const rows: TruckRow[] = [];
  for (const t of trucks) {
    if (f.status && (t.status ?? '') !== f.status) continue;
    if (words.length) {
      const hay = `${t.truck_number ?? ''} ${t.driver_name ?? ''} ${t.city_state_zip ?? ''} ${t.status ?? ''} ${t.dimensions ?? ''} ${t.cell_phone ?? ''}`.toLowerCase();
      const phoneHit = digits.length >= 3 && (t.cell_phone ?? '').replace(/\D/g, '').includes(digits);
      if (!phoneHit && !words.every((w) => hay.includes(w))) continue;
    }
    const distance =
      f.origin && t.latitude != null && t.longitude != null ? roadMiles(f.origin, { lat: t.latitude, lon: t.longitude }) : null;
    if (f.origin && f.radiusMiles != null && (distance == null || distance > f.radiusMiles)) continue;
    rows.push({ ...t, distance });
  }
  const { key, dir } = f.sort;
  const sign = dir === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const va = sortValue(a, key);
    const vb = sortValue(b, key);
    if (va == null && vb == null) return a.id - b.id;
    if (va == null) return 1;
    if (vb == null) return -1;
    const c = typeof va === 'number' && typeof vb === 'number' ? va - vb : collator.compare(String(va), String(vb));
    return c === 0 ? a.id - b.id : sign * c;
  });
  return rows;
}

/** Clicking a header: same column flips direction, a new column starts ascending. */
export function nextSort(current: TruckFilter['sort'], key: SortKey): TruckFilter['sort'] {
  return current.key === key ? { key, dir: current.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: 'asc' };
}

/** Select-all works on what is visible: all visible selected → unselect them; otherwise select them (keeping others). */
export function toggleAll(selected: ReadonlySet<number>, visibleIds: readonly number[]): Set<number> {
  const next = new Set(selected);
  const allOn = visibleIds.length > 0 && visibleIds.every((id) => next.has(id));
  for (const id of visibleIds) {
    if (allOn) next.delete(id);
    else next.add(id);
  }
  return next;
}

export function toggleOne(selected: ReadonlySet<number>, id: number): Set<number> {
  const next = new Set(selected);
  if (!next.delete(id)) next.add(id);
  return next;
}

/** Phone numbers of the selected trucks, comma-separated (ready for an SMS "To" field), in table order, without blanks or duplicates. */
export function phoneList(rows: readonly Truck[], selected: ReadonlySet<number>): string {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of rows) {
    const phone = r.cell_phone?.trim();
    if (selected.has(r.id) && phone && !seen.has(phone)) {
      seen.add(phone);
      out.push(phone);
    }
  }
  return out.join(', ');
}
