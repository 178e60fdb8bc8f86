import { useStore } from '../store';
import { connectionStatus, type ConnectionStatus } from '../realtime/connection';
import { caughtUp } from '../realtime/catch-up';

/** The full words, and what a narrow phone's top bar shows instead (the full words wrapped to three lines there). */
const labels: Record<ConnectionStatus, { full: string; short?: string }> = {
  connecting: { full: 'Connecting…' },
  connected: { full: 'Live' },
  reconnecting: { full: 'Reconnecting…' },
  offline: { full: 'Offline — changes will sync', short: 'Offline' },
  refused: { full: 'Not live: too many windows', short: 'Not live' },
};

export function ConnectionIndicator() {
  const status = useStore(connectionStatus);
  const settled = useStore(caughtUp) && status === 'connected';
  const { full, short } = labels[status];
  return (
    <span
      className={`conn conn-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-status={status}
      data-caught-up={settled || undefined}
      title={short ? full : undefined}
    >
      <span className="conn-dot" aria-hidden />
      {/* A screen reader always gets the full words; only the eye gets the short ones, and only when narrow. */}
      <span className={short ? 'conn-full conn-has-short' : 'conn-full'}>{full}</span>
      {short && (
        <span className="conn-short" aria-hidden>
          {short}
        </span>
      )}
    </span>
  );
}
