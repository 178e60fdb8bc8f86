import { useStore } from '../../../lib/store';
import { connectionStatus } from '../../../lib/realtime/connection';

/** The phone has no signal (the connection hears the browser's offline event and its own failed connects). */
export const useNoSignal = () => useStore(connectionStatus) === 'offline';

/**
 * In place of "Loading…" when the app opened without signal and holds nothing yet to show: the read can't succeed
 * until the phone is back, and it then happens by itself (the reconnect re-reads), so no Try again to tap.
 */
export function NoSignal({ what }: { what: string }) {
  return (
    <p className="drv-muted drv-pad" role="status" data-testid="no-signal">
      No signal. {what} will show up here as soon as the phone is back online.
    </p>
  );
}
