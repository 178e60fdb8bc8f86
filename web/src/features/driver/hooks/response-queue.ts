import { ApiError } from '../../../lib/api/problem';
import type { Proposal } from '../../../lib/api/types';
import type { DriverAction } from '../api/driver-offers';

/** An answer to an offer (accept, reject, counter, or the "viewed" mark), kept until the server took it. */
export interface QueuedResponse {
  key: string;
  offer_id: number;
  proposal_id: number;
  action: DriverAction;
  rate?: number;
  queued_at: string;
  /** The server refused it for good (load taken, offer cancelled…): shown, not retried. */
  failed?: string;
}

export interface QueueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type RespondFn = (r: QueuedResponse) => Promise<Proposal>;

/**
 * The driver's answers made without a connection wait here (in localStorage, so a closed tab keeps them) and go
 * out one at a time, in the order given, when the connection is back. An answer leaves the queue only once the
 * server has answered it; a repeat after a lost response is refused by the proposal's own rules (409) rather
 * than applied twice, so nothing is applied twice.
 */
export class ResponseQueue {
  private running: Promise<void> | null = null;
  private cache: QueuedResponse[] | null = null;
  private readonly listeners = new Set<() => void>();

  constructor(
    private readonly storage: QueueStorage,
    private readonly key: string,
    private readonly send: RespondFn,
    private readonly onDone: (r: QueuedResponse, p: Proposal) => void = () => {},
    /** The server refused it for good; its answer may carry the state that made it refuse (a 409's `current`). */
    private readonly onRefused: (r: QueuedResponse, e: ApiError) => void = () => {},
  ) {}

  items(): QueuedResponse[] {
    if (this.cache === null) {
      try {
        this.cache = JSON.parse(this.storage.getItem(this.key) ?? '[]') as QueuedResponse[];
      } catch {
        this.cache = [];
      }
    }
    return this.cache;
  }

  enqueue(r: Omit<QueuedResponse, 'queued_at' | 'key'>): QueuedResponse {
    const full: QueuedResponse = { ...r, key: `${Date.now()}-${Math.random().toString(36).slice(2)}`, queued_at: new Date().toISOString() };
    // A later "view" of the same proposal adds nothing.
    if (r.action === 'view' && this.items().some((i) => i.proposal_id === r.proposal_id)) return full;
    this.save([...this.items(), full]);
    return full;
  }

  dismiss(key: string): void {
    this.save(this.items().filter((i) => i.key !== key));
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reload(): void {
    this.cache = null;
    this.emit();
  }

  /** Sends what waits, in order; concurrent calls share one run. */
  flush(): Promise<void> {
    if (!this.running) {
      this.running = this.run().finally(() => {
        this.running = null;
      });
    }
    return this.running;
  }

  private async run(): Promise<void> {
    for (;;) {
      const next = this.items().find((i) => !i.failed);
      if (!next) return;
      try {
        const proposal = await this.send(next);
        this.save(this.items().filter((i) => i.key !== next.key));
        this.onDone(next, proposal);
      } catch (e) {
        if (!isPermanent(e)) return; // offline, server down, rate limited: keep everything, in order
        const reason = e.message;
        // A refused "viewed" mark is nothing to show.
        this.save(
          next.action === 'view'
            ? this.items().filter((i) => i.key !== next.key)
            : this.items().map((i) => (i.key === next.key ? { ...i, failed: reason } : i)),
        );
        this.onRefused(next, e);
      }
    }
  }

  private save(items: QueuedResponse[]): void {
    this.cache = items;
    this.storage.setItem(this.key, JSON.stringify(items));
    this.emit();
  }

  private emit(): void {
    this.listeners.forEach((l) => l());
  }
}

function isPermanent(e: unknown): e is ApiError {
  return e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 401 && e.status !== 408 && e.status !== 429;
}
