// The panel's only way to the server: fetch on the JSON API with the session cookie and the CSRF token.

/** An API answer that was not 2xx, with the server's error code and message for the user. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

let csrfToken: string | undefined;
const unauthorizedListeners = new Set<() => void>();

/** Remembers the CSRF token the session endpoint handed out; state-changing calls send it back. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Called when the server says the session is gone, so the shell can show the login page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

type Query = Record<string, string | number | boolean | undefined | null>;

/** Builds `path?query`, leaving out empty values so URLs stay readable. */
export function withQuery(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function readError(response: Response): Promise<ApiError> {
  let code = `http_${response.status}`;
  let message = response.statusText || 'The request failed.';
  try {
    // The server answers `{ error: { code, message, details } }` (src/http/errors.ts).
    const body = (await response.json()) as {
      error?: { code?: unknown; message?: unknown; details?: unknown };
    };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    const details = body.error?.details;
    if (Array.isArray(details) && details.length > 0) {
      const first = details[0] as { path?: unknown; message?: unknown };
      if (typeof first.message === 'string')
        message = `${message} (${typeof first.path === 'string' && first.path ? `${first.path}: ` : ''}${first.message})`;
    }
  } catch {
    // A body that is not JSON (a proxy's error page) still yields the status line.
  }
  return new ApiError(response.status, code, message);
}

/** Sends one request to the JSON API and returns the parsed answer (undefined for 204). */
export async function requestApi<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    const error = await readError(response);
    // A wrong password is also a 401; only a missing session means "show the login page".
    if (error.code === 'unauthenticated') for (const listener of unauthorizedListeners) listener();
    throw error;
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('content-type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

export const getApi = <T>(path: string, query?: Query): Promise<T> =>
  requestApi<T>('GET', withQuery(path, query));
export const postApi = <T>(path: string, body?: unknown): Promise<T> =>
  requestApi<T>('POST', path, body ?? {});
export const patchApi = <T>(path: string, body: unknown): Promise<T> => requestApi<T>('PATCH', path, body);
export const putApi = <T>(path: string, body: unknown): Promise<T> => requestApi<T>('PUT', path, body);
export const deleteApi = <T>(path: string): Promise<T> => requestApi<T>('DELETE', path);
