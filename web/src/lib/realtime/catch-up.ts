import type { QueryClient } from '@tanstack/react-query';
import type { ChatMessage } from '../api/types';
import { keys, type ChatState } from '../query-keys';
import { applyMessages } from './live-cache';
import { lastId } from './merge-messages';

export type FetchAfter = (offerId: number, driverId: number, afterId: number, limit: number) => Promise<ChatMessage[]>;

const PAGE = 100;

/**
 * After a reconnect: every conversation held in the cache asks for what came after its last message, page by
 * page, and merges it (merge drops what live events already delivered). Offers and proposals are re-read whole.
 */
export async function catchUp(qc: QueryClient, fetchAfter: FetchAfter): Promise<void> {
  const chats = qc.getQueryCache().findAll({ queryKey: ['chat'] });
  await Promise.all(
    chats.map(async (q) => {
      const [, offerId, driverId] = q.queryKey as [string, number, number];
      const state = q.state.data as ChatState | undefined;
      if (!state) return;
      let after = lastId(state.messages) ?? 0;
      for (let guard = 0; guard < 50; guard++) {
        const page = await fetchAfter(offerId, driverId, after, PAGE);
        applyMessages(qc, offerId, driverId, page);
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.id;
      }
    }),
  );
  await Promise.all([
    qc.invalidateQueries({ queryKey: keys.offers }),
    qc.invalidateQueries({ queryKey: ['proposals'] }),
    qc.invalidateQueries({ queryKey: keys.trucks }),
  ]);
}
