// RFC 7807 problem details → one error the UI can show: a plain message plus messages per form field.

export class ApiError extends Error {
  readonly status: number;
  readonly fieldErrors: Record<string, string>;
  readonly body: unknown;

  constructor(status: number, message: string, fieldErrors: Record<string, string> = {}, body: unknown = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.fieldErrors = fieldErrors;
    this.body = body;
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
export function toApiError(status: number, body: unknown): ApiError {
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
  return new ApiError(status, message, fieldErrors, body);
}

export function isNetworkError(e: unknown): boolean {
  return e instanceof ApiError && e.status === 0;
}
