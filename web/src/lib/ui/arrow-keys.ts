import type { KeyboardEvent } from 'react';

export interface ArrowLayout {
  /** Which arrows move: along a row, down a column, or a grid of `columns`. */
  orientation: 'horizontal' | 'vertical' | 'grid';
  columns?: number;
  /** Past the last item comes the first (radio groups); lists stop at their ends. */
  wrap?: boolean;
}

/** Where a key moves the focus in a set of `count` items, from item `at`; null when the key is not a move. */
export function nextIndex(key: string, at: number, count: number, { orientation, columns = 1, wrap = false }: ArrowLayout): number | null {
  if (count === 0) return null;
  const row = orientation === 'grid' ? Math.max(1, columns) : 1;
  const step: Record<string, number | undefined> =
    orientation === 'horizontal' ? { ArrowRight: 1, ArrowLeft: -1 }
    : orientation === 'vertical' ? { ArrowDown: 1, ArrowUp: -1 }
    : { ArrowRight: 1, ArrowLeft: -1, ArrowDown: row, ArrowUp: -row };
  if (key === 'Home') return 0;
  if (key === 'End') return count - 1;
  const d = step[key];
  if (d === undefined) return null;
  const from = at < 0 ? (d > 0 ? -1 : count) : at;
  const to = from + d;
  if (wrap) return ((to % count) + count) % count;
  return Math.max(0, Math.min(count - 1, to));
}

/**
 * Moves the focus among `items` (one Tab stop for the whole set, arrows inside it, as ARIA's radio groups, listboxes,
 * menus and toolbars expect). Returns the item now focused, or null when the key was not a move.
 */
export function moveFocus(e: KeyboardEvent, items: HTMLElement[], layout: ArrowLayout): HTMLElement | null {
  const to = nextIndex(e.key, items.indexOf(document.activeElement as HTMLElement), items.length, layout);
  if (to === null) return null;
  e.preventDefault();
  const el = items[to]!;
  el.focus();
  return el;
}
