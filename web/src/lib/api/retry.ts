import { ApiError } from './problem';

/** A failed read is tried again at most this many times (after 1, 2 and 4 s), and only when it can succeed. */
export const MAX_RETRIES = 3;

/** A server that asks for a longer wait than this gets its error shown (with Try again), not a long "Loading…". */
export const MAX_RETRY_AFTER_MS = 10_000;

/**
 * Failures a second try can fix: no answer at all (status 0), a request timeout, a gateway or an overloaded server
 * (502/503/504), a rate limit that asks for a short wait. Everything else (a 400, 401, 403, 404, 409, a plain 500,
 * or a bug in our own code) fails the same way again: the screen says so at once and offers Try again.
 */
export function isTransient(e: unknown): boolean {
  if (!(e instanceof ApiError)) return false;
  switch (e.status) {
    case 0:
    case 408:
    case 502:
    case 503:
    case 504:
      return true;
    case 429:
      return e.retryAfterMs == null || e.retryAfterMs <= MAX_RETRY_AFTER_MS;
    default:
      return false;
  }
}

/** TanStack Query's `retry`: `failures` is how many tries failed before this one (0 after the first). */
export function retryRead(failures: number, e: unknown): boolean {
  return failures < MAX_RETRIES && isTransient(e);
}

/** TanStack Query's `retryDelay`: what the server asked for, else 1, 2, 4 s. */
export function retryDelay(failures: number, e: unknown): number {
  if (e instanceof ApiError && e.retryAfterMs != null) return e.retryAfterMs;
  return Math.min(1000 * 2 ** failures, 30_000);
}
