import { useQuery } from '@tanstack/react-query';
import { keys, presenceKey, type PresenceMap } from '../../../lib/query-keys';

/** Presence learned from `presence_changed` events; the cache entry is only ever written by the hub. */
export function usePresence(): PresenceMap {
  const { data } = useQuery<PresenceMap>({ queryKey: keys.presence, queryFn: () => ({}), staleTime: Infinity, gcTime: Infinity });
  return data ?? {};
}

export function driverOnline(
  presence: PresenceMap,
  driverId: number,
  fallback?: { is_online?: boolean; last_seen?: string | null },
): { online: boolean; lastSeen: string | null } {
  const p = presence[presenceKey('driver', driverId)];
  return { online: p?.is_online ?? fallback?.is_online ?? false, lastSeen: p?.last_seen ?? fallback?.last_seen ?? null };
}
