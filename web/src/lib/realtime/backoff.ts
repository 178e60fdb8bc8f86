/** Reconnect delays: quick first retries, then doubling up to 15 s, with jitter so a restarted server isn't stampeded. */
export function backoffDelay(previousRetryCount: number, random: () => number = Math.random): number {
  if (previousRetryCount === 0) return 0;
  const base = Math.min(15_000, 500 * 2 ** Math.min(previousRetryCount, 5));
  return Math.round(base * (0.8 + 0.4 * random()));
}
