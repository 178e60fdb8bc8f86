import { useEffect } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys, presenceKey, type PresenceMap } from '../../../lib/query-keys';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { applyPresence } from '../../../lib/realtime/live-cache';
import { connectionStatus } from '../../../lib/realtime/connection';
import { useStore } from '../../../lib/store';

interface JoinResponse {
  counterpart?: { user_type: 'dispatcher' | 'driver'; id: number; is_online: boolean; last_seen: string | null };
}

/**
 * Whether the offer's dispatcher is online: asked whenever the hub (re)connects, by joining the conversation (the hub
 * answers with the counterpart's state), then kept live by `presence_changed` events.
 */
export function useDispatcherPresence(offerId: number, driverId: number, dispatcherId: number | undefined) {
  const qc = useQueryClient();
  const { connection } = useRealtime();
  const { data } = useQuery<PresenceMap>({ queryKey: keys.presence, queryFn: () => ({}), staleTime: Infinity, gcTime: Infinity });

  const status = useStore(connectionStatus);

  useEffect(() => {
    if (status !== 'connected') return;
    const ask = async () => {
      const r = await connection.tryInvoke<JoinResponse>('join_offer_chat', { offer_id: offerId, driver_id: driverId });
      const c = r?.counterpart;
      if (c) applyPresence(qc, { user_type: c.user_type, user_id: c.id, is_online: c.is_online, last_seen: c.last_seen ?? new Date(0).toISOString() });
    };
    void ask();
  }, [status, connection, qc, offerId, driverId]);

  const p = dispatcherId === undefined ? undefined : data?.[presenceKey('dispatcher', dispatcherId)];
  return { online: p?.is_online ?? false, lastSeen: p?.last_seen ?? null };
}
