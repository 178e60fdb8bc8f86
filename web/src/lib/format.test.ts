import { describe, expect, it } from 'vitest';
import { fmtWindow, fmtWindowStart } from './format';

describe('fmtWindowStart', () => {
  it('says "flexible" for no window, as the offer page does, instead of a dash that reads as missing data', () => {
    expect(fmtWindowStart(null, null)).toBe('flexible');
    expect(fmtWindow(null, null)).toBe('Flexible');
  });

  it('gives the start, or "by" the end when only the end is set', () => {
    expect(fmtWindowStart('2026-11-28T14:00:00Z', null)).toMatch(/^Nov 28/);
    expect(fmtWindowStart(null, '2026-11-28T14:00:00Z')).toMatch(/^by Nov 28/);
  });
});
