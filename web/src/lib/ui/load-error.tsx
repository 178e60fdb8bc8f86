/** A read that failed (after its retries): what could not be loaded, the server's reason, and a way to try again. */
export function LoadError({ what, error, onRetry, className = 'empty' }: { what: string; error: Error; onRetry: () => void; className?: string }) {
  return (
    <div className={className} role="alert">
      Could not load {what}: {error.message}{' '}
      <button type="button" className="btn btn-sm" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}
