import { useCallback, useEffect, useRef } from 'react';
import { useRealtime } from '../../../lib/realtime/realtime-provider';
import { typingStart, typingStop } from '../../../lib/realtime/hub-methods';

/** Tells the other side I'm typing: at most one start per 2 s while keys come, a stop after 3 s of quiet or on send. */
export function useTypingSignal(offerId: number, driverId: number) {
  const { connection } = useRealtime();
  const lastStart = useRef(0);
  const stopTimer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const stop = useCallback(() => {
    clearTimeout(stopTimer.current);
    if (lastStart.current) {
      lastStart.current = 0;
      void typingStop(connection, offerId, driverId);
    }
  }, [connection, offerId, driverId]);

  const keystroke = useCallback(() => {
    const now = Date.now();
    if (now - lastStart.current > 2000) {
      lastStart.current = now;
      void typingStart(connection, offerId, driverId);
    }
    clearTimeout(stopTimer.current);
    stopTimer.current = setTimeout(stop, 3000);
  }, [connection, offerId, driverId, stop]);

  useEffect(() => stop, [stop]);
  return { keystroke, stop };
}
