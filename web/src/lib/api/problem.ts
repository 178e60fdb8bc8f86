// RFC 7807 problem details → one error the UI can show: a plain message plus messages per form field.

export class ApiError extends Error {
  readonly status: number;
  readonly fieldErrors: Record<string, string>;
  readonly body: unknown;
  /** How long the server asked us to wait before trying again (Retry-After), if it said. */
  readonly retryAfterMs: number | null;

  constructor(status: number, message: string, fieldErrors: Record<string, string> = {}, body: unknown = null, retryAfterMs: number | null = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.body = body;
    this.retryAfterMs = retryAfterMs;
  }
}

interface ProblemBody {
  title?: string;
  detail?: string;
  errors?: Record<string, string[] | string>;
  retry_after_seconds?: number;
}

const fallback: Record<number, string> = {
  0: 'Cannot reach the server. Check your connection; we will keep trying.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'Not found, or not available to you.',
  409: 'Someone changed this in the meantime. The screen now shows the latest state.',
  429: 'Too many requests. Please wait a moment and try again.',
  500: 'Something went wrong on the server. Please try again.',
};

/** Server field names are snake_case (`pickup_location`, `driver_ids[0]`); forms use the same names. */
export function toApiError(status: number, body: unknown, retryAfterHeader: string | null = null, now = Date.now()): ApiError {
  const p = (body && typeof body === 'object' ? body : {}) as ProblemBody;
  const fieldErrors: Record<string, string> = {};
  for (const [field, messages] of Object.entries(p.errors ?? {})) {
    const list = Array.isArray(messages) ? messages : [messages];
    const key = field.replace(/\[\d+\]$/, '').replace(/^\$\./, '');
    const text = list.filter(Boolean).join(' ');
    fieldErrors[key] = fieldErrors[key] ? `${fieldErrors[key]} ${text}` : text;
  }
  const hasFields = Object.keys(fieldErrors).length > 0;
  const message =
    (status === 400 && hasFields ? 'Please correct the highlighted fields.' : undefined) ??
    p.detail ??
    p.title ??
    fallback[status] ??
    fallback[status >= 500 ? 500 : 0] ??
    'Request failed.';
  return new ApiError(status, message, fieldErrors, body, retryAfterMs(retryAfterHeader, p.retry_after_seconds, now));
}

/** Retry-After as seconds or as an HTTP date, else the problem body's `retry_after_seconds`. */
export function retryAfterMs(header: string | null, bodySeconds: number | undefined, now = Date.now()): number | null {
  const h = header?.trim();
  if (h) {
    if (/^\d+$/.test(h)) return Number(h) * 1000;
    const at = Date.parse(h);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  return typeof bodySeconds === 'number' && Number.isFinite(bodySeconds) && bodySeconds >= 0 ? bodySeconds * 1000 : null;
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0;
}
