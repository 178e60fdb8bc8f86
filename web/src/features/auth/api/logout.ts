import { endSession, readSession } from '../../../lib/session';

/**
 * Signs out here at once, then asks the server to revoke the token, so a copy of it (another tab's, or one someone took
 * from this computer) stops working too. Nothing waits for that call and no failure of it (offline, server down, token
 * already refused) keeps anyone signed in: the session is gone from this browser before it is sent. `keepalive` lets it
 * finish if the page is closed right after.
 */
export function signOut(): void {
  const token = readSession()?.token;
  endSession('logout');
  if (!token) return;
  try {
    void fetch('/api/auth/logout', { method: 'POST', headers: { Authorization: `Bearer ${token}` }, keepalive: true }).catch(
      () => undefined,
    );
  } catch {
    // A fetch that throws before it starts: still signed out here.
  }
}
