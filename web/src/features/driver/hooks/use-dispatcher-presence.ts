import { useQuery } from '@tanstack/react-query';
import { keys, presenceKey, type PresenceMap } from '../../../lib/query-keys';
import { useStore } from '../../../lib/store';
import { connectionStatus } from '../../../lib/realtime/connection';

/**
 * Whether the offer's dispatcher is online. The offer page's chat joins the conversation whenever the hub becomes
 * live, and the join answers with the dispatcher's state; `presence_changed` events keep it current.
 */
export function useDispatcherPresence(dispatcherId: number | undefined) {
  const { data } = useQuery<PresenceMap>({ queryKey: keys.presence, queryFn: () => ({}), staleTime: Infinity, gcTime: Infinity });
  const p = dispatcherId === undefined ? undefined : data?.[presenceKey('dispatcher', dispatcherId)];
  // Without signal no presence_changed reaches the phone: what it last heard is not "now" any more.
  const known = useStore(connectionStatus) !== 'offline';
  return { known, online: known && (p?.is_online ?? false), lastSeen: p?.last_seen ?? null };
}
