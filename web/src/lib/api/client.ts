import { endSession, readSession } from '../session';
import { ApiError, toApiError } from './problem';

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface RequestOptions {
  method?: Method;
  body?: unknown;
  signal?: AbortSignal;
  /** Sign-in calls must not end the session on 401 (wrong password is a 401 too). */
  anonymous?: boolean;
  /** A token to send with an anonymous call (it says who is asking; a 401 still leaves the session alone). */
  token?: string;
}

/** The one fetch wrapper: bearer token, JSON both ways, problem details → ApiError, 401 → back to sign-in. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  const session = options.anonymous ? null : readSession();
  const token = session?.token ?? options.token;
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';

  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw toApiError(0, null);
  }

  const text = await response.text();
  let body: unknown = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    if (response.status === 401 && !options.anonymous) endSession('expired', session?.token ?? '');
    throw toApiError(response.status, body, response.headers.get('Retry-After'));
  }
  return body as T;
}

export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export { ApiError };
