import type { ChatMessage } from '../api/types';
import type { ChatState } from '../query-keys';

/**
 * Merges messages into a conversation: one copy per id, in id order (a conversation's order is its id order).
 * Live events, catch-up pages and older history can arrive in any order and overlap; the result is the same.
 */
export function mergeMessages(existing: readonly ChatMessage[], incoming: readonly ChatMessage[]): ChatMessage[] {
  if (incoming.length === 0) return existing as ChatMessage[];
  const last = existing.length ? existing[existing.length - 1]!.id : -Infinity;
  // Fast path for the common case: new messages strictly after what we have, already in order.
  if (incoming.every((m, i) => m.id > last && (i === 0 || m.id > incoming[i - 1]!.id))) {
    return [...existing, ...incoming];
  }
  const byId = new Map<number, ChatMessage>();
  for (const m of existing) byId.set(m.id, m);
  for (const m of incoming) byId.set(m.id, { ...byId.get(m.id), ...m });
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/** The other side read everything up to `upToId`: mark our messages read (never moving back). */
export function markReadUpTo(messages: readonly ChatMessage[], readerType: string, upToId: number, readAt: string): ChatMessage[] {
  let changed = false;
  const next = messages.map((m) => {
    if (m.id <= upToId && m.sender_type !== readerType && !m.is_read) {
      changed = true;
      return { ...m, is_read: true, read_at: m.read_at ?? readAt };
    }
    return m;
  });
  return changed ? next : (messages as ChatMessage[]);
}

export function lastId(messages: readonly ChatMessage[]): number | undefined {
  return messages.length ? messages[messages.length - 1]!.id : undefined;
}

/**
 * A conversation after reading its latest page. A first read knows everything up to the page's last message; a
 * re-read keeps what was loaded (older pages, live messages) and moves the sync point only when the page joins it.
 */
export function latestPageState(prev: ChatState | undefined, page: { messages: ChatMessage[]; has_more?: boolean }, pageSize: number): ChatState {
  const pageLast = lastId(page.messages) ?? 0;
  if (!prev) {
    return { messages: page.messages, hasOlder: page.has_more ?? page.messages.length >= pageSize, syncedId: pageLast };
  }
  const known = prev.syncedId ?? 0;
  const joins = page.messages.length === 0 || page.messages[0]!.id <= known || page.has_more === false;
  return {
    messages: mergeMessages(prev.messages, page.messages),
    hasOlder: prev.hasOlder,
    syncedId: joins ? Math.max(known, pageLast) : known,
  };
}
