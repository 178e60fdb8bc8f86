import { useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ChatMessage } from '../../../lib/api/types';
import { useStore } from '../../../lib/store';
import { typingIn, typingStore } from '../../../lib/realtime/typing';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { dayLabel } from '../../../lib/format';
import { useConversation } from '../hooks/use-conversation';
import { useOutboxItems } from '../hooks/use-outbox-items';
import { useSendMessage } from '../hooks/use-send-message';
import { useTypingSignal } from '../hooks/use-typing-signal';
import { useMarkRead } from '../hooks/use-mark-read';
import { MessageItem, type ItemState, type RateActions } from './message-item';
import { counterEchoIds, counterOfferIds } from '../rate-cards';
import { Composer } from './composer';
import { LoadError } from '../../../lib/ui/load-error';

interface Props {
  offerId: number;
  driverId: number;
  /** Shown above the messages (who, offer summary). */
  header?: ReactNode;
  /** How the other side is named on their messages. */
  otherName: string;
  /** Why sending is off (e.g. "This offer was cancelled."), or null. */
  closedReason?: string | null;
  rateActions?: RateActions;
  /** The offer's rate: what the driver's answers are measured against to tell a counter from an acceptance. */
}

type Row =
  | { kind: 'message'; key: string; message: ChatMessage; state: ItemState; day?: string; divider?: boolean }
  | { kind: 'pending'; key: string; message: ChatMessage; state: ItemState; failed?: string; clientId: string };

const NEAR_BOTTOM = 80;

/**
 * One conversation, for either side (dispatcher or driver): virtualized history that loads older pages on scroll
 * up, live messages, typing, receipts, a "new messages" divider, and auto-scroll that never yanks the reader.
 */
export function ChatWindow({ offerId, driverId, header, otherName, closedReason, rateActions }: Props) {
  const { me, outbox } = useRealtime();
  const convo = useConversation(offerId, driverId);
  const pending = useOutboxItems(offerId, driverId);
  const send = useSendMessage(offerId, driverId);
  const typing = useTypingSignal(offerId, driverId);
  const typingName = typingIn(useStore(typingStore), offerId, driverId);
  const messages = convo.data?.messages;
  useMarkRead(offerId, driverId, messages, me.userType);

  // The divider sits before the first message from the other side that was unread when the chat opened.
  const [dividerId, setDividerId] = useState<number | null | undefined>(undefined);
  useEffect(() => setDividerId(undefined), [offerId, driverId]);
  useEffect(() => {
    if (dividerId !== undefined || !messages) return;
    const first = messages.find((m) => m.sender_type !== me.userType && m.message_type !== 'system' && !m.is_read);
    setDividerId(first?.id ?? null);
  }, [messages, dividerId, me.userType]);

  const rows = useMemo<Row[]>(() => {
    const out: Row[] = [];
    let prevDay = '';
    const stored = new Set<string>();
    const echoes = counterEchoIds(messages ?? []);
    for (const m of messages ?? []) {
      if (echoes.has(m.id)) continue;
      if (m.client_message_id) stored.add(m.client_message_id);
      const day = dayLabel(m.created_at);
      const mine = m.sender_type === me.userType;
      out.push({
        kind: 'message',
        key: `m${m.id}`,
        message: m,
        state: mine && m.is_read ? 'read' : 'sent',
        day: day !== prevDay ? day : undefined,
        divider: m.id === dividerId,
      });
      prevDay = day;
    }
    for (const p of pending) {
      if (stored.has(p.client_message_id)) continue;
      out.push({
        kind: 'pending',
        key: `p${p.client_message_id}`,
        clientId: p.client_message_id,
        failed: p.failed,
        state: p.failed ? 'failed' : 'pending',
        message: {
          id: -1, offer_id: offerId, driver_id: driverId, sender_type: me.userType, sender_id: me.id, message: p.message,
          message_type: 'text', rate: null, is_read: false, read_at: null, created_at: p.queued_at, client_message_id: p.client_message_id,
        },
      });
    }
    return out;
  }, [messages, pending, dividerId, me, offerId, driverId]);

  const counters = useMemo(() => counterOfferIds(messages ?? []), [messages]);
  const latestRateId = useMemo(() => {
    for (let i = (messages?.length ?? 0) - 1; i >= 0; i--) {
      const m = messages![i]!;
      if (m.sender_type !== me.userType && counters.has(m.id)) return m.id;
    }
    return null;
  }, [messages, counters, me.userType]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 56,
    getItemKey: (i) => rows[i]!.key,
    overscan: 8,
  });

  // Scroll policy: stick to the bottom only while the reader is there; otherwise count what arrived below.
  const atBottom = useRef(true);
  const [unseenBelow, setUnseenBelow] = useState(0);
  const firstKey = rows[0]?.key;
  const lastKey = rows[rows.length - 1]?.key;
  const prevFirst = useRef<string | undefined>(undefined);
  const prevLast = useRef<string | undefined>(undefined);
  const prevHeight = useRef(0);
  const didInitialScroll = useRef(false);

  useEffect(() => {
    didInitialScroll.current = false;
    atBottom.current = true;
    setUnseenBelow(0);
  }, [offerId, driverId]);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || rows.length === 0) return;
    if (!didInitialScroll.current) {
      didInitialScroll.current = true;
      const dividerIndex = rows.findIndex((r) => r.kind === 'message' && r.divider);
      virtualizer.scrollToIndex(dividerIndex > 0 ? dividerIndex : rows.length - 1, { align: dividerIndex > 0 ? 'start' : 'end' });
    } else if (prevFirst.current && firstKey !== prevFirst.current && lastKey === prevLast.current) {
      // Older history was prepended: keep what the reader is looking at exactly where it was.
      el.scrollTop += virtualizer.getTotalSize() - prevHeight.current;
    } else if (lastKey !== prevLast.current) {
      const lastRow = rows[rows.length - 1]!;
      const mine = lastRow.message.sender_type === me.userType;
      if (atBottom.current || mine) virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
      else setUnseenBelow((n) => n + 1);
    }
    prevFirst.current = firstKey;
    prevLast.current = lastKey;
    prevHeight.current = virtualizer.getTotalSize();
  }, [firstKey, lastKey, rows, virtualizer, me.userType]);

  function onScroll() {
    const el = scrollRef.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < NEAR_BOTTOM;
    if (atBottom.current) setUnseenBelow(0);
    if (el.scrollTop < 120 && convo.data?.hasOlder) {
      prevHeight.current = virtualizer.getTotalSize();
      void convo.loadOlder();
    }
  }

  const jumpToBottom = () => {
    virtualizer.scrollToIndex(rows.length - 1, { align: 'end' });
    setUnseenBelow(0);
  };

  return (
    <section className="chat" aria-label={`Chat with ${otherName}`}>
      {header && <div className="chat-head">{header}</div>}
      <div className="chat-scroll" ref={scrollRef} onScroll={onScroll} data-testid="chat-scroll">
        {convo.isLoading && <div className="empty">Loading conversation…</div>}
        {convo.isError && <LoadError what="the conversation" error={convo.error} onRetry={() => void convo.refetch()} />}
        {convo.data && rows.length === 0 && <div className="empty">No messages yet. Say hello to {otherName}.</div>}
        {convo.loadingOlder && <div className="chat-older">Loading older messages…</div>}
        {convo.data && !convo.data.hasOlder && rows.length > 0 && <div className="chat-older">Beginning of the conversation</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((v) => {
            const r = rows[v.index]!;
            return (
              <div key={v.key} data-index={v.index} ref={virtualizer.measureElement} className="chat-row" style={{ transform: `translateY(${v.start}px)` }}>
                {r.kind === 'message' && r.day && <div className="chat-day">{r.day}</div>}
                {r.kind === 'message' && r.divider && (
                  <div className="chat-divider" role="separator">
                    New messages
                  </div>
                )}
                <MessageItem
                  message={r.message}
                  mine={r.message.sender_type === me.userType}
                  state={r.state}
                  senderName={otherName}
                  viewer={me}
                  rateCard={r.kind === 'message' && counters.has(r.message.id)}
                  rateActions={rateActions}
                  latest={r.message.id === latestRateId}
                  failedReason={r.kind === 'pending' ? r.failed : undefined}
                  // In a closed conversation a retry can only be refused again: Discard is the one way out.
                  onRetry={r.kind === 'pending' && !closedReason ? () => (outbox.retry(r.clientId), void outbox.flush()) : undefined}
                  onDiscard={r.kind === 'pending' ? () => outbox.discard(r.clientId) : undefined}
                />
              </div>
            );
          })}
        </div>
      </div>
      <div className="chat-foot">
        <div className="typing" aria-live="polite" data-testid="typing">
          {typingName ? `${typingName} is typing…` : ''}
        </div>
        {unseenBelow > 0 && (
          <button className="new-below" onClick={jumpToBottom}>
            ↓ {unseenBelow} new {unseenBelow === 1 ? 'message' : 'messages'}
          </button>
        )}
        <Composer
          draftKey={`chat.${offerId}.${driverId}`}
          disabled={closedReason}
          onSend={(t) => {
            atBottom.current = true;
            send(t);
          }}
          onKeystroke={typing.keystroke}
          onStop={typing.stop}
        />
      </div>
    </section>
  );
}
