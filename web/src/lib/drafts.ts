import { useCallback, useEffect, useState } from 'react';

// Whatever a person is typing lives in localStorage, so an expired session, a reload or a crash loses nothing.
const PREFIX = 'driver-offers.draft.';

export function readDraft<T>(key: string, initial: T): T {
  try {
    const raw = localStorage.getItem(PREFIX + key);
    return raw === null ? initial : (JSON.parse(raw) as T);
  } catch {
    return initial;
  }
}

export function writeDraft<T>(key: string, value: T | null): void {
  if (value === null || value === '') localStorage.removeItem(PREFIX + key);
  else localStorage.setItem(PREFIX + key, JSON.stringify(value));
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
