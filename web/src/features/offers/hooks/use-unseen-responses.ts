import { createStore, useStore } from '../../../lib/store';
import { sessionOwner } from '../../../lib/session';
import type { UnseenMap } from './unseen-responses';

// Kept per person in localStorage (what this dispatcher looked at is no server data): it survives a reload and the
// offers re-reads that follow every proposal event, and other tabs of the same browser follow along.
const STORAGE = 'driver-offers.unseen-responses';
type All = Record<string, UnseenMap>;
const EMPTY: UnseenMap = {};

function load(): All {
  try {
    return (JSON.parse(localStorage.getItem(STORAGE) ?? '{}') as All) ?? {};
  } catch {
    return {};
  }
}

const store = createStore<All>(load());
if (typeof window !== 'undefined') window.addEventListener('storage', (e) => e.key === STORAGE && store.set(load()));

export function updateUnseen(change: (map: UnseenMap) => UnseenMap): void {
  const owner = sessionOwner();
  if (!owner) return;
  store.set((all) => {
    const mine = all[owner] ?? EMPTY;
    const next = change(mine);
    if (next === mine) return all;
    const updated = { ...all, [owner]: next };
    try {
      localStorage.setItem(STORAGE, JSON.stringify(updated));
    } catch {
      // Storage full or off: the badges still work for this page's life.
    }
    return updated;
  });
}

export function useUnseenResponses(): UnseenMap {
  const all = useStore(store);
  return all[sessionOwner() ?? ''] ?? EMPTY;
}
