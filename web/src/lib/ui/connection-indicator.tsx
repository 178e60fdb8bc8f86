import { useStore } from '../store';
import { connectionStatus } from '../realtime/connection';
import { caughtUp } from '../realtime/catch-up';

const labels = {
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  offline: 'Offline — changes will sync',
  refused: 'Not live: too many windows',
} as const;

export function ConnectionIndicator() {
  const status = useStore(connectionStatus);
  const settled = useStore(caughtUp) && status === 'connected';
  return (
    <span
      className={`conn conn-${status}`}
      role="status"
      aria-live="polite"
      data-testid="connection-status"
      data-status={status}
      data-caught-up={settled || undefined}
    >
      <span className="conn-dot" aria-hidden />
      {labels[status]}
    </span>
  );
}
