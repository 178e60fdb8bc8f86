import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { Offer } from '../../../lib/api/types';
import { keys } from '../../../lib/query-keys';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { applyOffer } from '../../../lib/realtime/live-cache';
import { respond } from '../api/driver-offers';
import { ResponseQueue, type QueuedResponse } from './response-queue';

const QueueContext = createContext<ResponseQueue | null>(null);

export function useResponseQueue(): ResponseQueue {
  const q = useContext(QueueContext);
  if (!q) throw new Error('useResponseQueue outside DriverQueueProvider');
  return q;
}

/** Answers for one offer still waiting to go out (or refused). */
export function useQueuedResponses(offerId: number): QueuedResponse[] {
  const q = useResponseQueue();
  const all = useSyncExternalStore(
    (l) => q.subscribe(l),
    () => q.items(),
  );
  return all.filter((r) => r.offer_id === offerId && r.action !== 'view');
}

/**
 * The driver's offline queue of answers, beside the chat outbox the realtime layer already keeps (a decline's reason
 * moves from one to the other once the decline is taken). Flushed at start, whenever the browser or the hub comes
 * back, and every few seconds while anything waits.
 */
export function DriverQueueProvider({ driverId, children }: { driverId: number; children: ReactNode }) {
  const qc = useQueryClient();
  const { connection, outbox } = useRealtime();
  const [queue] = useState(
    () =>
      new ResponseQueue(
        localStorage,
        `driver-offers.responses.driver.${driverId}`,
        (r) => respond(r.proposal_id, r.action, r.rate),
        (r, proposal) => {
          // The reason joins the chat outbox only now, behind the answer it explains; its id was fixed when the
          // driver declined, so handing it over twice (a tab closed at the wrong moment) still stores it once.
          if (r.reason && !outbox.items().some((i) => i.client_message_id === r.reason?.client_message_id)) {
            const { client_message_id, text } = r.reason;
            outbox.enqueue({ client_message_id, offer_id: r.offer_id, driver_id: driverId, message: `Declined: ${text}` });
            void outbox.flush();
          }
          qc.setQueryData<Offer[]>(keys.offers, (list) =>
            list?.map((o) => (o.id === r.offer_id ? { ...o, my_proposal: { ...o.my_proposal, ...proposal } } : o)),
          );
          void qc.invalidateQueries({ queryKey: keys.offers });
        },
        // A 409 carries the offer as it is now (a new rate, the load taken): shown at once beside the refusal, whatever
        // the hub and the re-read after a reconnect have told so far.
        (_r, e) => {
          const current = (e.body as { current?: Offer } | null)?.current;
          if (e.status === 409 && current?.id != null) applyOffer(qc, current);
        },
      ),
  );

  useEffect(() => {
    const flush = () => void queue.flush();
    const onStorage = (e: StorageEvent) => {
      if (e.key?.startsWith('driver-offers.responses.')) queue.reload();
    };
    const stop = connection.onLive(flush);
    window.addEventListener('online', flush);
    window.addEventListener('storage', onStorage);
    const timer = setInterval(() => {
      if (queue.items().some((i) => !i.failed)) flush();
    }, 4000);
    flush();
    return () => {
      stop();
      clearInterval(timer);
      window.removeEventListener('online', flush);
      window.removeEventListener('storage', onStorage);
    };
  }, [queue, connection]);

  return <QueueContext.Provider value={queue}>{children}</QueueContext.Provider>;
}
