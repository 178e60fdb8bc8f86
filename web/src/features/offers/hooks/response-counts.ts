import type { ProposalCounters } from '../../../lib/api/types';

export interface ResponseCount {
  key: 'sent' | 'viewed' | 'counter_offered' | 'accepted' | 'rejected';
  /** The seed's indicator (same as on the driver rows); decoration beside the words, never read out. */
  icon: string;
  count: number;
  /** "3 viewed": what is shown and what a screen reader says. */
  text: string;
}

// Funnel order: not opened yet, opened, answered.
const ORDER: { key: ResponseCount['key']; icon: string; word: string }[] = [
  { key: 'sent', icon: '🟡', word: 'sent' },
  { key: 'viewed', icon: '🔵', word: 'viewed' },
  { key: 'counter_offered', icon: '🟢', word: 'countered' },
  { key: 'accepted', icon: '✅', word: 'accepted' },
  { key: 'rejected', icon: '❌', word: 'declined' },
];

/** The drivers' answers on an offer card, in words: only the statuses someone is in, e.g. "2 sent", "1 countered". */
export function responseCounts(c: ProposalCounters): ResponseCount[] {
  return ORDER.filter((s) => c[s.key] > 0).map((s) => ({ key: s.key, icon: s.icon, count: c[s.key], text: `${c[s.key]} ${s.word}` }));
}

/** The same as one sentence ("3 viewed, 1 countered"), or what to say when nobody was sent the offer. */
export function responseSummary(c: ProposalCounters): string {
  const counts = responseCounts(c);
  return counts.length ? counts.map((r) => r.text).join(', ') : 'Not sent to any driver yet';
}
