import type { ErrorDetail } from './types';

/**
 * The UI's one way to the API. Every failure becomes an ApiError carrying the server's own message
 * (`detail`, or `exception_message` with its `exception_detail`), so pages can show it as it is.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
    readonly details: ErrorDetail[] = [],
  ) {
    super(message);
  }
}

interface ErrorBody {
  detail?: unknown;
  exception_message?: unknown;
  exception_detail?: unknown;
}

function errorFrom(status: number, statusText: string, body: unknown): ApiError {
  const b = (typeof body === 'object' && body !== null ? body : {}) as ErrorBody;
  const details = Array.isArray(b.exception_detail) ? (b.exception_detail as ErrorDetail[]) : [];
  const message =
    typeof b.detail === 'string' ? b.detail : typeof b.exception_message === 'string' ? b.exception_message : typeof body === 'string' && body !== '' ? body : `${status} ${statusText}`;
  return new ApiError(message, status, details);
}

async function request<T>(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(`/api${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError('The baton server cannot be reached. Is it still running?', 0);
  }
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text for the error message
  }
  if (!res.ok) throw errorFrom(res.status, res.statusText, parsed);
  return parsed as T;
}

export const api = {
  get: <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal),
  post: <T>(path: string, body: unknown = {}, signal?: AbortSignal) => request<T>('POST', path, body, signal),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
};

export const enc = encodeURIComponent;
