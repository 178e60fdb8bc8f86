import { useCallback, useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { keys, type ChatState } from '../../../lib/query-keys';
import { getMessages } from '../api/get-messages';
import { latestPageState, mergeMessages } from '../../../lib/realtime/merge-messages';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { stayJoined } from '../../../lib/realtime/hub-methods';
import { activeConversation } from '../../../lib/realtime/active-conversation';
import { applyPresence } from '../../../lib/realtime/live-cache';

export const PAGE_SIZE = 50;

/**
 * One conversation: the latest page first, older pages on demand, live messages merged in by the realtime layer.
 * While mounted it is the "active" conversation (joined on the hub whenever the connection is live, so typing
 * reaches it; no toasts for it).
 */
export function useConversation(offerId: number, driverId: number) {
  const qc = useQueryClient();
  const { connection } = useRealtime();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const loadingRef = useRef(false);

  const query = useQuery<ChatState>({
    queryKey: keys.chat(offerId, driverId),
    queryFn: async ({ signal }) => {
      const page = await getMessages(offerId, driverId, { limit: PAGE_SIZE }, signal);
      // A re-read (e.g. after reconnect) must not drop older pages already loaded, nor live messages.
      return latestPageState(qc.getQueryData<ChatState>(keys.chat(offerId, driverId)), page, PAGE_SIZE);
    },
    staleTime: Infinity,
  });

  useEffect(() => {
    activeConversation.set({ offerId, driverId });
    // The join answers with the other side's presence, which is how the driver learns whether the dispatcher is on.
    const leave = stayJoined(connection, offerId, driverId, ({ counterpart: c }) => {
      if (c) applyPresence(qc, { user_type: c.user_type, user_id: c.id, is_online: c.is_online, last_seen: c.last_seen ?? '' });
    });
    return () => {
      activeConversation.set((a) => (a && a.offerId === offerId && a.driverId === driverId ? null : a));
      leave();
    };
  }, [connection, qc, offerId, driverId]);

  const loadOlder = useCallback(async () => {
    const state = qc.getQueryData<ChatState>(keys.chat(offerId, driverId));
    if (!state || !state.hasOlder || loadingRef.current || state.messages.length === 0) return;
    loadingRef.current = true;
    setLoadingOlder(true);
    try {
      const page = await getMessages(offerId, driverId, { before_id: state.messages[0]!.id, limit: PAGE_SIZE });
      qc.setQueryData<ChatState>(keys.chat(offerId, driverId), (s) =>
        s ? { messages: mergeMessages(s.messages, page.messages), hasOlder: page.has_more ?? page.messages.length >= PAGE_SIZE } : s,
      );
    } finally {
      loadingRef.current = false;
      setLoadingOlder(false);
    }
  }, [qc, offerId, driverId]);

  return { ...query, loadOlder, loadingOlder };
}
