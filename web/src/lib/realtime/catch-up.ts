import type { QueryClient } from '@tanstack/react-query';
import type { ChatMessage } from '../api/types';
import { keys, type ChatState, type PresenceMap } from '../query-keys';
import { createStore } from '../store';
import { applyMessages } from './live-cache';
import { lastId } from './merge-messages';

export type FetchAfter = (offerId: number, driverId: number, afterId: number, limit: number) => Promise<ChatMessage[]>;

const PAGE = 100;

/**
 * Whenever the hub becomes live (the first connect included): every conversation held in the cache asks for what
 * came after its sync point (`ChatState.syncedId`), page by page, and merges it (merge drops what live events
 * already delivered). Offers, proposals and trucks are re-read whole; drivers' presence then comes from the trucks.
 */
export async function catchUp(qc: QueryClient, fetchAfter: FetchAfter): Promise<void> {
  const chats = qc.getQueryCache().findAll({ queryKey: ['chat'] });
  await Promise.all(
    chats.map(async (q) => {
      const [, offerId, driverId] = q.queryKey as [string, number, number];
      const state = q.state.data as ChatState | undefined;
      if (!state) return;
      // From the sync point, not the last id: a send of ours answered while the socket was down sits past a gap.
      let after = state.syncedId ?? lastId(state.messages) ?? 0;
      for (let guard = 0; guard < 50; guard++) {
        const page = await fetchAfter(offerId, driverId, after, PAGE);
        applyMessages(qc, offerId, driverId, page, { synced: true });
        if (page.length < PAGE) break;
        after = page[page.length - 1]!.id;
      }
    }),
  );
  // Drivers' presence heard before the gap may be stale (a driver who left meanwhile was never announced to us); the
  // trucks re-read below carries each driver's presence as of now, and only events after it should override that.
  qc.setQueryData<PresenceMap>(keys.presence, (map) =>
    map && Object.fromEntries(Object.entries(map).filter(([key]) => !key.startsWith('driver:'))),
  );
  await Promise.all([
    qc.invalidateQueries({ queryKey: keys.offers }),
    qc.invalidateQueries({ queryKey: ['proposals'] }),
    qc.invalidateQueries({ queryKey: keys.trucks }),
  ]);
}

/**
 * Whether the catch-up that followed the latest connect has finished (its reads answered, well or not). Until then
 * the screens may still change by themselves; the connection indicator exposes it (data-caught-up) so the end-to-end
 * tests can wait for a page that has settled instead of racing its re-reads.
 */
export const caughtUp = createStore(false);
let latestRun = 0;

/** Runs one catch-up; only the latest run's end marks the page caught up (a reconnect may start one meanwhile). */
export function trackCatchUp(run: () => Promise<void>): Promise<void> {
  const mine = ++latestRun;
  caughtUp.set(false);
  return run()
    .catch(() => undefined)
    .finally(() => {
      if (mine === latestRun) caughtUp.set(true);
    });
}

/** The connection is gone (signed out): a run still under way must not mark the next one's page caught up. */
export function forgetCatchUp(): void {
  latestRun++;
  caughtUp.set(false);
}
