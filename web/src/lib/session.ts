// The signed-in session, kept in localStorage so it survives reloads. One store for the whole app, shared by every tab
// of the browser: the API client reads the token from here, and a 401 anywhere (or a sign-out) ends the session in
// all tabs (drafts stay, see drafts.ts).

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

/**
 * Ends the session in this tab and, through localStorage, in every other tab of this browser (see followOtherTabs).
 * `token`: the token a refused (401) call carried. A call that left before this person signed in again (here or in
 * another tab) must not end the new session.
 */
export function endSession(reason: 'logout' | 'expired', token?: string): void {
  const raw = localStorage.getItem(KEY);
  if (raw === null && reason === 'expired') return;
  if (token !== undefined && raw !== null && parse(raw)?.token !== token) return;
  lastEnd = reason;
  // Written before the session goes, so the other tabs know why when they hear it went.
  localStorage.setItem(END_KEY, reason);
  localStorage.removeItem(KEY);
  listeners.forEach((l) => l(null, reason));
}

export function onSessionChange(listener: Listener): () => void {
  listenToOtherTabs();
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const END_KEY = 'driver-offers.session-end';
let listeningTo: Window | null = null;

function listenToOtherTabs(): void {
  if (typeof window === 'undefined' || listeningTo === window) return;
  listeningTo = window;
  window.addEventListener('storage', followOtherTabs);
}

function parse(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    return JSON.parse(raw) as Session;
  } catch {
    return null;
  }
}

const ownerOf = (s: Session | null) => (s ? `${s.userType}.${s.id}` : null);

/**
 * Another tab of this browser signed in or out, or its session ended (a 401 there): this tab follows, so no tab goes on
 * acting signed in, or shows one person's data once someone else signed in. localStorage's `storage` event reaches
 * every other tab of the same origin, never the tab that made the change.
 */
export function followOtherTabs(e: Pick<StorageEvent, 'key' | 'oldValue' | 'newValue'>): void {
  // key null: the whole storage was cleared.
  if (e.key !== KEY && e.key !== null) return;
  const before = parse(e.oldValue);
  const now = readSession();
  if (!now) {
    if (e.key === KEY && before === null) return;
    lastEnd = localStorage.getItem(END_KEY) === 'logout' ? 'logout' : 'expired';
    listeners.forEach((l) => l(null, lastEnd!));
    return;
  }
  if (before !== null && ownerOf(before) !== ownerOf(now)) {
    // Someone else signed in over this tab's person: only end it here (caches, connection, screens go). The sign-in
    // screen this tab lands on reads the new session and lets them in afresh, as a sign-in in this tab would.
    lastEnd = 'logout';
    listeners.forEach((l) => l(null, 'logout'));
    return;
  }
  lastEnd = null;
  listeners.forEach((l) => l(now, 'login'));
}
