// The signed-in session, kept in localStorage so it survives reloads. One store for the whole app:
// the API client reads the token from here, and a 401 anywhere ends the session (drafts stay, see drafts.ts).

export interface Session {
  token: string;
  userType: 'dispatcher' | 'driver';
  id: number;
  name: string;
  role: string;
  expiresAt: number;
}

const KEY = 'driver-offers.session';
type Listener = (session: Session | null, reason: 'login' | 'logout' | 'expired') => void;
const listeners = new Set<Listener>();
let lastEnd: 'logout' | 'expired' | null = null;

/** Why the last session ended, so sign-in can say "your session ended" rather than nothing. */
export const lastSessionEnd = () => lastEnd;

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return s.expiresAt > Date.now() ? s : null;
  } catch {
    return null;
  }
}

/**
 * Whose session this browser holds ('dispatcher.18', 'driver.107'), expired or not; null when nobody signed in. Drafts
 * are kept per person, so whoever signs in next on a shared computer doesn't find (and send) someone else's text.
 */
export function sessionOwner(): string | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const s = JSON.parse(raw) as Session;
    return `${s.userType}.${s.id}`;
  } catch {
    return null;
  }
}

export function startSession(session: Session): void {
  lastEnd = null;
  localStorage.setItem(KEY, JSON.stringify(session));
  listeners.forEach((l) => l(session, 'login'));
}

export function endSession(reason: 'logout' | 'expired'): void {
  if (localStorage.getItem(KEY) === null && reason === 'expired') return;
  lastEnd = reason;
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l(null, reason));
}

export function onSessionChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
