import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ChatMessage, MessageReadEvent, Offer, PresenceEvent, Proposal, Truck, TypingEvent } from '../api/types';
import { readSession } from '../session';
import { getMessages } from '../../features/chat/api/get-messages';
import { sendMessage } from '../../features/chat/api/send-message';
import { RealtimeConnection } from './connection';
import { Outbox } from './outbox';
import { catchUp, forgetCatchUp, trackCatchUp } from './catch-up';
import { isActive } from './active-conversation';
import { applyTyping, clearTyping } from './typing';
import { applyMessages, applyNewMessage, applyOffer, applyPresence, applyProposal, applyRead, applyTruck } from './live-cache';
import { heartbeat } from './hub-methods';
import { TooManyWindows } from '../ui/too-many-windows';

export interface Realtime {
  connection: RealtimeConnection;
  outbox: Outbox;
  /** 'dispatcher' or 'driver': whose messages count as "mine". */
  me: { userType: 'dispatcher' | 'driver'; id: number; name: string };
}

const RealtimeContext = createContext<Realtime | null>(null);

export function useRealtime(): Realtime {
  const r = useContext(RealtimeContext);
  if (!r) throw new Error('useRealtime outside RealtimeProvider');
  return r;
}

/**
 * Owns the app's single hub connection and the chat outbox while someone is signed in, and pours every hub
 * event into the query cache. Mount it once, under QueryClientProvider, around the signed-in part of the app.
 */
export function RealtimeProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [realtime, setRealtime] = useState<Realtime | null>(null);

  useEffect(() => {
    const session = readSession();
    if (!session) return;
    const me = { userType: session.userType, id: session.id, name: session.name };
    const connection = new RealtimeConnection(() => readSession()?.token ?? null);
    const outbox = new Outbox(
      localStorage,
      `driver-offers.outbox.${session.userType}.${session.id}`,
      (item) => sendMessage(item.offer_id, item.driver_id, item.message, item.client_message_id),
      (_item, stored) => applyMessages(qc, stored.offer_id, stored.driver_id, [stored]),
    );
    const hub = connection.hub;

    hub.on('offer_created', (o: Offer) => applyOffer(qc, o));
    hub.on('offer_updated', (o: Offer) => applyOffer(qc, o));
    hub.on('proposal_updated', (p: Proposal) => {
      applyProposal(qc, p);
      // Counters on the offer cards come with offer_updated; re-read in case this server sends only the proposal.
      scheduleOffersRefresh();
    });
    hub.on('new_message', (m: ChatMessage) => {
      applyNewMessage(qc, m, me.userType, isActive);
      if (m.sender_type !== me.userType) clearTyping(m.offer_id, m.driver_id);
    });
    hub.on('user_typing', (e: TypingEvent) => {
      if (e.user_type !== me.userType) applyTyping(e);
    });
    hub.on('message_read', (e: MessageReadEvent) => applyRead(qc, e));
    hub.on('presence_changed', (e: PresenceEvent) => applyPresence(qc, e));
    hub.on('truck_updated', (t: Truck) => applyTruck(qc, t));

    let refreshTimer: ReturnType<typeof setTimeout> | undefined;
    function scheduleOffersRefresh() {
      clearTimeout(refreshTimer);
      refreshTimer = setTimeout(() => void qc.invalidateQueries({ queryKey: ['offers'] }), 400);
    }

    // Open conversations re-join by themselves (useConversation). Catching up on the FIRST connect too closes the gap
    // between the screens' first REST reads and the hub connecting (first reads still under way are not restarted).
    const stopLive = connection.onLive(() => {
      void trackCatchUp(() =>
        catchUp(qc, async (offerId, driverId, afterId, limit) => (await getMessages(offerId, driverId, { after_id: afterId, limit })).messages),
      );
      void outbox.flush();
    });

    // Flush now, whenever the browser says it's back, and every few seconds while anything waits.
    const onOnline = () => void outbox.flush();
    const onStorage = (e: StorageEvent) => {
      if (e.key?.startsWith('driver-offers.outbox.')) outbox.reload();
    };
    window.addEventListener('online', onOnline);
    window.addEventListener('storage', onStorage);
    const flushTimer = setInterval(() => {
      if (outbox.items().some((i) => !i.failed)) void outbox.flush();
    }, 4000);
    const beat = setInterval(() => void heartbeat(connection), 25_000);

    connection.start();
    void outbox.flush();
    setRealtime({ connection, outbox, me });

    return () => {
      stopLive();
      forgetCatchUp();
      clearInterval(flushTimer);
      clearInterval(beat);
      clearTimeout(refreshTimer);
      window.removeEventListener('online', onOnline);
      window.removeEventListener('storage', onStorage);
      void connection.stop();
      setRealtime(null);
    };
  }, [qc]);

  if (!realtime) return null;
  return (
    <RealtimeContext.Provider value={realtime}>
      <TooManyWindows onRetry={() => realtime.connection.retry()} />
      {children}
    </RealtimeContext.Provider>
  );
}
