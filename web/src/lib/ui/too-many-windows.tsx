import { useStore } from '../store';
import { connectionStatus } from '../realtime/connection';

/**
 * Shown instead of endless reconnecting when the server refused this window's live connection because the person has
 * the app open in too many windows or devices. Nothing is lost meanwhile: the page still reads and sends over HTTP,
 * it just doesn't update live until Retry succeeds.
 */
export function TooManyWindows({ onRetry }: { onRetry: () => void }) {
  const status = useStore(connectionStatus);
  if (status !== 'refused') return null;
  return (
    <div className="too-many-windows" role="alert" data-testid="too-many-windows">
      <span>
        Driver Offers is open in too many windows or devices, so this one is not updating live. Close some of them and
        press Retry.
      </span>
      <button type="button" className="btn btn-sm" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
