import { api } from '../../../lib/api/client';
import type { Truck } from '../../../lib/api/types';

/** Every active truck (any status): the ones a dispatcher can offer loads to. Accepts a bare array or `{ drivers }`. */
export async function listTrucks(signal?: AbortSignal): Promise<Truck[]> {
  const body = await api<Truck[] | { items?: Truck[]; drivers?: Truck[] }>('/api/drivers?active=true', { signal });
  const list = Array.isArray(body) ? body : (body.items ?? body.drivers ?? []);
  return list.map(normalizeTruck);
}

export function normalizeTruck(t: Truck): Truck {
  const num = (v: unknown) => (v === null || v === undefined || v === '' ? null : Number(v));
  return { ...t, latitude: num(t.latitude), longitude: num(t.longitude) };
}
