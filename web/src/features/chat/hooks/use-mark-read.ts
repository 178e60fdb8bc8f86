import { useEffect, useRef } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ChatMessage } from '../../../lib/api/types';
import { markRead } from '../api/mark-read';
import { adjustUnread, keepShownConversationRead } from '../../../lib/realtime/live-cache';

/** While the conversation is on screen and the tab visible, everything from the other side counts as read. */
export function useMarkRead(offerId: number, driverId: number, messages: ChatMessage[] | undefined, myType: string) {
  const qc = useQueryClient();
  const lastMarked = useRef(0);

  useEffect(() => {
    const mark = () => {
      if (!messages || document.visibilityState !== 'visible') return;
      let target: ChatMessage | undefined;
      for (let i = messages.length - 1; i >= 0; i--) {
        const m = messages[i]!;
        if (m.sender_type !== myType && m.message_type !== 'system') {
          target = m;
          break;
        }
      }
      adjustUnread(qc, offerId, driverId, -Infinity);
      if (!target || target.is_read || target.id <= lastMarked.current) return;
      lastMarked.current = target.id;
      void markRead(target.id).catch(() => {
        lastMarked.current = 0;
      });
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [qc, offerId, driverId, messages, myType]);

  useEffect(() => keepShownConversationRead(qc, offerId, driverId, () => document.visibilityState === 'visible'), [qc, offerId, driverId]);
}
