import { fmtMoney } from '../../../lib/format';
import { useQueuedResponses, useResponseQueue } from '../hooks/driver-queue';
import type { QueuedResponse } from '../hooks/response-queue';

/** The driver's answers to one offer that are still on the phone: waiting for a connection, or refused. */
export function QueuedAnswers({ offerId }: { offerId: number }) {
  const queue = useResponseQueue();
  return <QueuedAnswerList items={useQueuedResponses(offerId)} onDismiss={(key) => queue.dismiss(key)} />;
}

/**
 * Two live regions, rendered while empty too: a screen reader announces only what changes inside a region it already
 * knows. Waiting answers are polite news; a refused one is an alert, since the driver believes they answered (an
 * accept the dispatcher never got, a counter on a load already taken).
 */
export function QueuedAnswerList({ items, onDismiss }: { items: readonly QueuedResponse[]; onDismiss: (key: string) => void }) {
  const waiting = items.filter((r) => !r.failed);
  const failed = items.filter((r) => r.failed);
  return (
    <div className={`drv-queued-regions${items.length === 0 ? ' drv-queued-none' : ''}`}>
      <div role="status" aria-label="Answers waiting to be sent">
        {waiting.length > 0 && (
          <ul className="drv-queued">
            {waiting.map((r) => (
              <li key={r.key} className="pending" data-testid="queued-answer">
                <span>{describe(r)} — waiting for a connection, sends automatically</span>
              </li>
            ))}
          </ul>
        )}
      </div>
      <div role="alert" aria-label="Answers not sent">
        {failed.length > 0 && (
          <ul className="drv-queued">
            {failed.map((r) => (
              <li key={r.key} className="failed" data-testid="queued-answer">
                <span>
                  {describe(r)} — not sent: {r.failed}
                </span>
                <button className="drv-btn drv-btn-ghost drv-btn-sm" onClick={() => onDismiss(r.key)}>
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}

function describe(r: QueuedResponse): string {
  if (r.action === 'counter') return `Counter ${fmtMoney(r.rate)}`;
  if (r.action === 'accept') return r.rate != null ? `Accept ${fmtMoney(r.rate)}` : 'Accept';
  return r.reason ? `Decline (${r.reason.text})` : 'Decline';
}
