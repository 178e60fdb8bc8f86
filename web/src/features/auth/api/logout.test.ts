import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSession, startSession } from '../../../lib/session';
import { signOut } from './logout';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

describe('signing out', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    startSession({ token: 'token-18', userType: 'dispatcher', id: 18, name: 'Carl', role: 'dispatcher', expiresAt: Date.now() + 3_600_000 });
  });
  afterEach(() => vi.unstubAllGlobals());

  it('asks the server to revoke the token it signed in with', () => {
    const fetch = vi.fn(async () => new Response(null, { status: 204 }));
    vi.stubGlobal('fetch', fetch);

    signOut();

    expect(readSession()).toBeNull();
    expect(fetch).toHaveBeenCalledWith('/api/auth/logout', expect.objectContaining({
      method: 'POST', headers: { Authorization: 'Bearer token-18' },
    }));
  });

  it('signs out here even when the server cannot be reached or the call throws', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => { throw new TypeError('Failed to fetch'); }));
    signOut();
    expect(readSession()).toBeNull();

    startSession({ token: 'token-20', userType: 'dispatcher', id: 20, name: 'Leo', role: 'dispatcher', expiresAt: Date.now() + 3_600_000 });
    vi.stubGlobal('fetch', vi.fn(() => { throw new TypeError('blocked'); }));
    signOut();
    expect(readSession()).toBeNull();
    await Promise.resolve();
  });
});
