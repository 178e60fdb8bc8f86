import { useEffect, useState } from 'react';
import { onSessionChange, readSession, type Session } from '../../../lib/session';

export function useSession(): Session | null {
  const [session, setSession] = useState(readSession);
  useEffect(() => onSessionChange((s) => setSession(s)), []);
  return session;
}
