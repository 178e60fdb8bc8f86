import { ApiError } from '../../../lib/api/problem';
import type { Offer, Proposal } from '../../../lib/api/types';
import type { DriverAction } from '../api/driver-offers';

/** An answer to an offer (accept, reject, counter, or the "viewed" mark), kept until the server took it. */
export interface QueuedResponse {
  key: string;
  offer_id: number;
  proposal_id: number;
  action: DriverAction;
  rate?: number;
  /** A decline's reason: a chat message that goes out only once the answer is taken, so the conversation reads
   *  "declined the offer" then the reason, never the reason first (the answer's payload has no room for it). */
  reason?: { client_message_id: string; text: string };
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
        this.done(next, proposal);
      } catch (e) {
        if (!isPermanent(e)) return; // offline, server down, rate limited: keep everything, in order
        const earlier = landedEarlier(next, e);
        if (earlier) {
          this.done(next, earlier);
          continue;
        }
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

  /** Told before it leaves the queue: what onDone hands on (a decline's reason) is in storage before the answer is
   *  gone, so a tab closed in between sends the answer again (refused as already given) rather than losing the reason. */
  private done(r: QueuedResponse, p: Proposal): void {
    this.onDone(r, p);
    this.save(this.items().filter((i) => i.key !== r.key));
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

/**
 * The answer went through on an earlier try whose response was lost: the repeat is refused (a decline is final, an
 * accept can't be given twice) with the proposal as it now stands, which is the answer itself. Not a failure to show.
 */
function landedEarlier(r: QueuedResponse, e: ApiError): Proposal | null {
  if (e.status !== 409) return null;
  const mine = (e.body as { current?: Offer } | null)?.current?.my_proposal;
  const wanted = r.action === 'reject' ? 'rejected' : r.action === 'accept' ? 'accepted' : null;
  return mine && mine.id === r.proposal_id && wanted && mine.status === wanted ? mine : null;
}
