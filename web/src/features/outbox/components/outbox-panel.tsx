import { useEffect, useRef, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { fmtAgo } from '../../../lib/format';
import { listOutbox, retryOutbox, type OutboxEntry } from '../api/outbox';
import './outbox-panel.css';

/**
 * The messages sent to an offer's drivers with their links: what the default (outbox-only) sender "delivers".
 * The dispatcher copies a link and passes it on; with a real sender configured it shows sent / retrying / failed.
 */
export function OutboxPanel({ offerId }: { offerId: number }) {
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState<number | null>(null);
  const outbox = useQuery({
    queryKey: ['outbox', offerId],
    queryFn: ({ signal }) => listOutbox(offerId, signal),
    // Deliveries happen in the background; while any is under way, look again now and then.
    refetchInterval: (q) => (q.state.data?.some((e) => e.status === 'pending' && e.delivery === 'automatic') ? 5000 : false),
  });
  const entries = outbox.data ?? [];
  // Opened at the foot of the offer's column: bring the list into view instead of opening it out of sight.
  const listRef = useRef<HTMLUListElement>(null);
  useEffect(() => {
    if (open && listRef.current) reveal(listRef.current);
  }, [open]);
  const failed = entries.filter((e) => e.status === 'failed').length;

  async function copy(e: OutboxEntry) {
    if (!e.link) return;
    try {
      await navigator.clipboard.writeText(e.link);
      setCopied(e.id);
      setTimeout(() => setCopied((c) => (c === e.id ? null : c)), 2000);
    } catch {
      window.prompt('Copy the link:', e.link);
    }
  }

  async function retry(e: OutboxEntry) {
    await retryOutbox(e.id);
    await qc.invalidateQueries({ queryKey: ['outbox', offerId] });
  }

  return (
    <section className="outbox-panel" aria-label="Messages to drivers">
      <button className="link" aria-expanded={open} onClick={() => setOpen(!open)} data-testid="outbox-toggle">
        Driver links ({entries.length}){failed > 0 && <span className="outbox-failed"> · {failed} failed</span>}
      </button>
      {open && (
        <ul className="outbox-list" ref={listRef}>
          {outbox.isLoading && <li className="muted">Loading…</li>}
          {entries.map((e) => (
            <li key={e.id} className="outbox-row" data-testid="outbox-entry" data-truck-id={e.truck_id ?? undefined} data-status={e.status}>
              <span className="outbox-who">
                <b>{e.driver_name ?? `Truck ${e.truck_id}`}</b> <span className="muted">{e.channel} {e.recipient}</span>
              </span>
              <span className={`outbox-status outbox-${e.status}`} title={e.last_error ?? undefined}>
                {status(e)}
              </span>
              {e.link && (
                <button className="btn btn-sm" onClick={() => void copy(e)} data-link={e.link}>
                  {copied === e.id ? 'Copied ✓' : 'Copy link'}
                </button>
              )}
              {e.status === 'failed' && (
                <button className="btn btn-sm" onClick={() => void retry(e)}>
                  Retry
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function status(e: OutboxEntry): string {
  if (e.status === 'sent') return `Sent ${fmtAgo(e.sent_at)}`;
  if (e.status === 'failed') return `Failed after ${e.attempts} tries${e.last_error ? `: ${e.last_error}` : ''}`;
  if (e.delivery === 'manual') return 'Not sent automatically — copy the link';
  return e.attempts > 0 ? `Retrying (${e.attempts} tries)` : 'Sending…';
}

/** Scrolls the nearest scrolling box (only that one, never the page) so the element's foot, or as much as fits, shows. */
function reveal(el: HTMLElement) {
  for (let box = el.parentElement; box; box = box.parentElement) {
    if (!/(auto|scroll)/.test(getComputedStyle(box).overflowY)) continue;
    const [e, b] = [el.getBoundingClientRect(), box.getBoundingClientRect()];
    const below = e.bottom - b.bottom;
    if (below > 0) box.scrollTop += Math.min(below, e.top - b.top);
    return;
  }
}
