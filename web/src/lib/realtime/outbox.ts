import type { ChatMessage } from '../api/types';
import { ApiError } from '../api/problem';

/** A chat message typed by this person and not yet confirmed stored by the server. */
export interface OutboxItem {
  client_message_id: string;
  offer_id: number;
  driver_id: number;
  message: string;
  queued_at: string;
  /** Set when the server refused it for good (e.g. the conversation is closed to us): not retried. */
  failed?: string;
}

export interface OutboxStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type SendFn = (item: OutboxItem) => Promise<ChatMessage>;

/**
 * Messages typed while offline (or while a send is in flight) live in storage until the server confirms them.
 * Exactly once: items go out one at a time in the order typed, each with its client_message_id, and leave the
 * outbox only after the server returned the stored message. A retry after a lost response carries the same id,
 * which the server answers with the already stored message instead of a second copy.
 */
export class Outbox {
  private flushing: Promise<void> | null = null;
  private readonly listeners = new Set<() => void>();
  private cache: OutboxItem[] | null = null;

  constructor(
    private readonly storage: OutboxStorage,
    private readonly key: string,
    private readonly send: SendFn,
    private readonly onSent: (item: OutboxItem, stored: ChatMessage) => void = () => {},
  ) {}

  items(): OutboxItem[] {
    if (this.cache === null) {
      try {
        this.cache = JSON.parse(this.storage.getItem(this.key) ?? '[]') as OutboxItem[];
      } catch {
        this.cache = [];
      }
    }
    return this.cache;
  }

  /** Another tab changed the stored outbox. */
  reload(): void {
    this.cache = null;
    this.emit();
  }

  enqueue(item: Omit<OutboxItem, 'queued_at'>): OutboxItem {
    const full: OutboxItem = { ...item, queued_at: new Date().toISOString() };
    this.save([...this.items(), full]);
    return full;
  }

  discard(clientMessageId: string): void {
    this.save(this.items().filter((i) => i.client_message_id !== clientMessageId));
  }

  retry(clientMessageId: string): void {
    this.save(this.items().map((i) => (i.client_message_id === clientMessageId ? { ...i, failed: undefined } : i)));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends what is waiting, in order. Concurrent calls share one run, so nothing is sent twice at once. */
  flush(): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.run().finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  private async run(): Promise<void> {
    for (;;) {
      const next = this.items().find((i) => !i.failed);
      if (!next) return;
      try {
        const stored = await this.send(next);
        this.save(this.items().filter((i) => i.client_message_id !== next.client_message_id));
        this.onSent(next, stored);
      } catch (e) {
        if (isPermanent(e)) {
          const reason = e instanceof Error ? e.message : 'Not sent.';
          this.save(this.items().map((i) => (i.client_message_id === next.client_message_id ? { ...i, failed: reason } : i)));
          continue;
        }
        // Offline, server down, rate limited or signed out: keep everything, in order, for the next flush.
        return;
      }
    }
  }

  private save(items: OutboxItem[]): void {
    this.cache = items;
    this.storage.setItem(this.key, JSON.stringify(items));
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }
}

function isPermanent(e: unknown): boolean {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429;
}
