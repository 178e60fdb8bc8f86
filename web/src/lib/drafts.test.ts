import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readDraft, writeDraft } from './drafts';
import { endSession, startSession, type Session } from './session';

function memoryStorage() {
  const data = new Map<string, string>();
  return {
    getItem: (k: string) => data.get(k) ?? null,
    setItem: (k: string, v: string) => void data.set(k, v),
    removeItem: (k: string) => void data.delete(k),
  };
}

const person = (userType: Session['userType'], id: number): Session => ({
  token: `token-${userType}-${id}`, userType, id, name: `${userType} ${id}`, role: userType, expiresAt: Date.now() + 3_600_000,
});

describe('drafts', () => {
  beforeEach(() => vi.stubGlobal('localStorage', memoryStorage()));
  afterEach(() => vi.unstubAllGlobals());

  it('are kept per person: the next one to sign in on the same browser does not get the previous one\'s text', () => {
    startSession(person('dispatcher', 18));
    writeDraft('chat.12.107', 'Carl half-typed this');
    endSession('logout');

    startSession(person('dispatcher', 15));
    expect(readDraft('chat.12.107', '')).toBe('');
    endSession('logout');

    startSession(person('driver', 107));
    expect(readDraft('chat.12.107', '')).toBe('');
    endSession('logout');

    // Back as Carl (or signed in again after his session expired): his text is still there.
    startSession(person('dispatcher', 18));
    expect(readDraft('chat.12.107', '')).toBe('Carl half-typed this');
  });

  it('of nobody signed in (the sign-in form) are kept apart from everyone\'s', () => {
    writeDraft('login.username', 'carl.banks');
    expect(readDraft('login.username', '')).toBe('carl.banks');
    startSession(person('dispatcher', 18));
    expect(readDraft('login.username', '')).toBe('');
  });
});
