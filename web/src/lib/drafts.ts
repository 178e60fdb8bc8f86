import { useCallback, useEffect, useState } from 'react';
import { sessionOwner } from './session';

// Whatever a person is typing lives in localStorage, so an expired session, a reload or a crash loses nothing. Each
// person's drafts are their own (the key names who is signed in): the next person on a shared computer starts empty.
const PREFIX = 'driver-offers.draft.';

function storageKey(key: string): string {
  const owner = sessionOwner();
  return owner ? `${PREFIX}${owner}.${key}` : PREFIX + key;
}

export function readDraft<T>(key: string, initial: T): T {
  try {
    const raw = localStorage.getItem(storageKey(key));
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

export function writeDraft<T>(key: string, value: T | null): void {
  if (value === null || value === '') localStorage.removeItem(storageKey(key));
  else localStorage.setItem(storageKey(key), JSON.stringify(value));
}

export function useDraft<T>(key: string, initial: T): [T, (value: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => readDraft(key, initial));
  useEffect(() => setValue(readDraft(key, initial)), [key]); // eslint-disable-line react-hooks/exhaustive-deps
  const update = useCallback(
    (v: T) => {
      setValue(v);
      writeDraft(key, v);
    },
    [key],
  );
  const clear = useCallback(() => {
    setValue(initial);
    writeDraft(key, null);
  }, [key]); // eslint-disable-line react-hooks/exhaustive-deps
  return [value, update, clear];
}
