import { describe, expect, it } from 'vitest';
import { responseCounts, responseSummary } from './response-counts';

const counters = (over: Partial<Record<'sent' | 'viewed' | 'accepted' | 'rejected' | 'counter_offered', number>>) => {
  const c = { sent: 0, viewed: 0, accepted: 0, rejected: 0, counter_offered: 0, ...over };
  return { ...c, total: c.sent + c.viewed + c.accepted + c.rejected + c.counter_offered };
};

describe('responseCounts', () => {
  it('says each status in words, in funnel order, leaving out statuses nobody is in', () => {
    expect(responseSummary(counters({ viewed: 3, counter_offered: 1 }))).toBe('3 viewed, 1 countered');
    expect(responseSummary(counters({ rejected: 1, sent: 2, accepted: 1, viewed: 1, counter_offered: 2 }))).toBe(
      '2 sent, 1 viewed, 2 countered, 1 accepted, 1 declined',
    );
  });

  it('keeps the seed’s indicator beside the words', () => {
    expect(responseCounts(counters({ sent: 2 }))).toEqual([{ key: 'sent', icon: '🟡', count: 2, text: '2 sent' }]);
  });

  it('says so when the offer reached nobody', () => {
    expect(responseCounts(counters({}))).toEqual([]);
    expect(responseSummary(counters({}))).toBe('Not sent to any driver yet');
  });
});
