import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff';

describe('backoffDelay', () => {
  it('retries at once, then doubles up to 15 s, with ±20 % jitter', () => {
    const mid = () => 0.5;
    expect(backoffDelay(0, mid)).toBe(0);
    expect(backoffDelay(1, mid)).toBe(1000);
    expect(backoffDelay(2, mid)).toBe(2000);
    expect(backoffDelay(4, mid)).toBe(8000);
    expect(backoffDelay(9, mid)).toBe(15000);
    expect(backoffDelay(3, () => 0)).toBe(3200);
    expect(backoffDelay(3, () => 1)).toBe(4800);
  });
});
