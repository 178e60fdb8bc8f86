import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { endSession, lastSessionEnd, onSessionChange, readSession, startSession, type Session } from './session';
import { api } from './api/client';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const KEY = 'driver-offers.session';
const person = (id: number, token = `token-${id}`): Session => ({
  token, userType: 'dispatcher', id, name: `dispatcher ${id}`, role: 'dispatcher', expiresAt: Date.now() + 3_600_000,
});

/** What the browser does in every OTHER tab when one tab changes localStorage (that tab itself hears nothing). */
function otherTabWrote(change: () => void) {
  const oldValue = localStorage.getItem(KEY);
  change();
  const newValue = localStorage.getItem(KEY);
  window.dispatchEvent(Object.assign(new Event('storage'), { key: KEY, oldValue, newValue }));
}

describe('session across the tabs of one browser', () => {
  let heard: Array<[number | null, string]>;
  let unsubscribe: () => void;
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('window', new EventTarget());
    startSession(person(18));
    heard = [];
    unsubscribe = onSessionChange((s, reason) => heard.push([s?.id ?? null, reason]));
  });
  afterEach(() => {
    unsubscribe();
    vi.unstubAllGlobals();
  });

  it('a sign-out in another tab signs this tab out too', () => {
    otherTabWrote(() => {
      // The other tab's own endSession: its listeners are not this tab's, so only the storage event reaches us.
      localStorage.setItem('driver-offers.session-end', 'logout');
      localStorage.removeItem(KEY);
    });
    expect(heard).toEqual([[null, 'logout']]);
    expect(lastSessionEnd()).toBe('logout');
  });

  it('a 401 in another tab ends the session here as expired', () => {
    otherTabWrote(() => {
      localStorage.setItem('driver-offers.session-end', 'expired');
      localStorage.removeItem(KEY);
    });
    expect(heard).toEqual([[null, 'expired']]);
    expect(lastSessionEnd()).toBe('expired');
  });

  it('someone else signing in in another tab ends this person here; the same person signing in again just carries on', () => {
    otherTabWrote(() => localStorage.setItem(KEY, JSON.stringify(person(18, 'newer-token'))));
    expect(heard).toEqual([[18, 'login']]);
    otherTabWrote(() => localStorage.setItem(KEY, JSON.stringify(person(15))));
    expect(heard).toEqual([[18, 'login'], [null, 'logout']]);
  });

  it('a sign-in in another tab reaches a tab sitting on sign-in', () => {
    endSession('logout');
    heard = [];
    otherTabWrote(() => localStorage.setItem(KEY, JSON.stringify(person(18))));
    expect(heard).toEqual([[18, 'login']]);
  });

  it('other keys are not the session', () => {
    window.dispatchEvent(Object.assign(new Event('storage'), { key: 'driver-offers.outbox.dispatcher.18', oldValue: null, newValue: '[]' }));
    expect(heard).toEqual([]);
  });
});

describe('a 401 from the API', () => {
  beforeEach(() => {
    vi.stubGlobal('localStorage', memoryStorage());
    vi.stubGlobal('window', new EventTarget());
  });
  afterEach(() => vi.unstubAllGlobals());

  const unauthorized = () => new Response(JSON.stringify({ title: 'Unauthorized', status: 401 }), { status: 401 });

  it('ends the session it was sent with, and tells the other tabs why', async () => {
    startSession(person(18));
    vi.stubGlobal('fetch', vi.fn(async () => unauthorized()));
    await expect(api('/api/me')).rejects.toMatchObject({ status: 401 });
    expect(readSession()).toBeNull();
    expect(localStorage.getItem('driver-offers.session-end')).toBe('expired');
  });

  it('does not end a session that signed in again (here or in another tab) while the call was on its way', async () => {
    startSession(person(18, 'old-token'));
    vi.stubGlobal('fetch', vi.fn(async () => {
      // Meanwhile another tab signed out and in again: the stored token is a new one.
      localStorage.setItem(KEY, JSON.stringify(person(18, 'new-token')));
      return unauthorized();
    }));
    await expect(api('/api/me')).rejects.toMatchObject({ status: 401 });
    expect(readSession()?.token).toBe('new-token');
  });
});
