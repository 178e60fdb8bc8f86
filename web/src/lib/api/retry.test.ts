import { describe, expect, it } from 'vitest';
import { ApiError, toApiError } from './problem';
import { MAX_RETRIES, isTransient, retryDelay, retryRead } from './retry';

const failure = (status: number, retryAfter: string | null = null) => toApiError(status, null, retryAfter);

describe('retryRead (TanStack Query retry rule)', () => {
  it.each([400, 401, 403, 404, 409, 422, 500, 501])('shows a %i at once: a second try fails the same way', (status) => {
    expect(retryRead(0, failure(status))).toBe(false);
  });

  it.each([0, 408, 502, 503, 504])('tries a %i again, up to three times', (status) => {
    expect(retryRead(0, failure(status))).toBe(true);
    expect(retryRead(MAX_RETRIES - 1, failure(status))).toBe(true);
    expect(retryRead(MAX_RETRIES, failure(status))).toBe(false);
  });

  it('tries a rate limit again when the server asks for a short wait, and shows it when the wait is long', () => {
    expect(retryRead(0, failure(429, '5'))).toBe(true);
    expect(retryRead(0, failure(429))).toBe(true);
    expect(retryRead(0, failure(429, '60'))).toBe(false);
    expect(isTransient(toApiError(429, { retry_after_seconds: 120 }))).toBe(false);
  });

  it('never retries a bug in our own code', () => {
    expect(retryRead(0, new TypeError('x is undefined'))).toBe(false);
  });
});

describe('retryDelay', () => {
  it('waits 1, 2, then 4 s', () => {
    expect([0, 1, 2].map((n) => retryDelay(n, failure(503)))).toEqual([1000, 2000, 4000]);
  });

  it('waits as long as Retry-After says, in seconds or as a date', () => {
    expect(retryDelay(0, failure(429, '7'))).toBe(7000);
    const now = Date.parse('2026-11-25T18:00:00Z');
    expect(toApiError(429, null, 'Wed, 25 Nov 2026 18:00:03 GMT', now).retryAfterMs).toBe(3000);
    expect(toApiError(429, { retry_after_seconds: 4 }).retryAfterMs).toBe(4000);
    expect(new ApiError(503, 'busy').retryAfterMs).toBeNull();
  });
});
