import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useQuery } from '@tanstack/react-query';
import { searchPlaces } from '../geo/search-places';
import type { Place } from '../api/types';

interface Props {
  value: string;
  onTextChange: (text: string) => void;
  onPick: (place: Place) => void;
  placeholder?: string;
  invalid?: boolean;
  /** The id of the text that explains the error (aria-describedby). */
  describedBy?: string;
  name?: string;
  /** For a <label htmlFor>. */
  id?: string;
  ariaLabel?: string;
  autoFocus?: boolean;
}

/** City / ZIP autocomplete over /api/geo/search: type, arrow to a suggestion, Enter picks it, Esc closes. */
export function PlaceInput({ value, onTextChange, onPick, placeholder, invalid, describedBy, name, id, ariaLabel, autoFocus }: Props) {
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [q, setQ] = useState('');
  const listId = useId();
  // Closing on blur waits a moment (so a click on an option lands); focus or typing in between cancels it.
  const closeTimer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useEffect(() => () => clearTimeout(closeTimer.current), []);

  useEffect(() => {
    const t = setTimeout(() => setQ(value.trim()), 150);
    return () => clearTimeout(t);
  }, [value]);

  const { data = [], isFetching } = useQuery({
    queryKey: ['geo', q],
    queryFn: ({ signal }) => searchPlaces(q, signal),
    enabled: open && q.length >= 2,
    staleTime: 5 * 60_000,
  });

  function pick(p: Place) {
    onPick(p);
    setOpen(false);
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((a) => Math.min(a + 1, Math.max(0, data.length - 1)));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'Enter' && open && data[active]) {
      e.preventDefault();
      pick(data[active]);
    } else if (e.key === 'Escape' && open) {
      e.stopPropagation();
      setOpen(false);
    }
  }

  const show = open && q.length >= 2;
  return (
    <div className="combo">
      <input
        id={id}
        name={name}
        role="combobox"
        aria-label={ariaLabel}
        aria-expanded={show}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-invalid={invalid || undefined}
        aria-describedby={describedBy}
        autoComplete="off"
        autoFocus={autoFocus}
        placeholder={placeholder}
        value={value}
        onChange={(e) => {
          clearTimeout(closeTimer.current);
          onTextChange(e.target.value);
          setOpen(true);
          setActive(0);
        }}
        onFocus={() => {
          clearTimeout(closeTimer.current);
          setOpen(true);
        }}
        onBlur={() => {
          closeTimer.current = setTimeout(() => setOpen(false), 150);
        }}
        onKeyDown={onKeyDown}
      />
      {show && (
        <ul className="combo-list" id={listId} role="listbox">
          {data.length === 0 && <li className="combo-empty">{isFetching ? 'Searching…' : 'No matching city or ZIP'}</li>}
          {data.map((p, i) => (
            <li
              key={`${p.label}-${i}`}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              onMouseDown={(e) => {
                e.preventDefault();
                pick(p);
              }}
              onMouseEnter={() => setActive(i)}
            >
              {p.label}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
