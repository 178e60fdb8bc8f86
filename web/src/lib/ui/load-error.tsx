/** A read that failed (after its retries): what could not be loaded, the server's reason, and a way to try again. */
export function LoadError({ what, error, onRetry, className = 'empty', buttonClassName = 'btn btn-sm' }: {
  what: string;
  error: Error;
  onRetry: () => void;
  className?: string;
  buttonClassName?: string;
}) {
  return (
    <div className={className} role="alert">
      Could not load {what}: {error.message}{' '}
      <button type="button" className={buttonClassName} onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
