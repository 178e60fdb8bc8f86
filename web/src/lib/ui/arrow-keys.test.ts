import { describe, expect, it } from 'vitest';
import { nextIndex } from './arrow-keys';

describe('nextIndex', () => {
  it('moves along a row and stops at the ends of a list', () => {
    const row = { orientation: 'horizontal' as const };
    expect(nextIndex('ArrowRight', 0, 5, row)).toBe(1);
    expect(nextIndex('ArrowRight', 4, 5, row)).toBe(4);
    expect(nextIndex('ArrowLeft', 0, 5, row)).toBe(0);
    expect(nextIndex('ArrowDown', 0, 5, row)).toBeNull();
  });

  it('wraps around a radio group', () => {
    const radios = { orientation: 'horizontal' as const, wrap: true };
    expect(nextIndex('ArrowRight', 4, 5, radios)).toBe(0);
    expect(nextIndex('ArrowLeft', 0, 5, radios)).toBe(4);
  });

  it('moves up and down a column, Home and End jump', () => {
    const list = { orientation: 'vertical' as const };
    expect(nextIndex('ArrowDown', 1, 3, list)).toBe(2);
    expect(nextIndex('ArrowUp', 1, 3, list)).toBe(0);
    expect(nextIndex('Home', 2, 3, list)).toBe(0);
    expect(nextIndex('End', 0, 3, list)).toBe(2);
    expect(nextIndex('ArrowRight', 0, 3, list)).toBeNull();
    expect(nextIndex('Enter', 0, 3, list)).toBeNull();
  });

  it('moves a whole row up or down a grid', () => {
    const grid = { orientation: 'grid' as const, columns: 6 };
    expect(nextIndex('ArrowDown', 2, 24, grid)).toBe(8);
    expect(nextIndex('ArrowUp', 8, 24, grid)).toBe(2);
    expect(nextIndex('ArrowUp', 2, 24, grid)).toBe(0);
    expect(nextIndex('ArrowDown', 20, 24, grid)).toBe(23);
  });

  it('starts from the first or the last item when nothing in the set has the focus', () => {
    expect(nextIndex('ArrowDown', -1, 3, { orientation: 'vertical' })).toBe(0);
    expect(nextIndex('ArrowUp', -1, 3, { orientation: 'vertical' })).toBe(2);
  });
});
