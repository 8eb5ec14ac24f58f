/** One request to the API: bearer auth, JSON in and out, problem+json → {@link ApiError}. */
import { ApiError } from './errors.js';
import { isRecord } from './json.js';

/** Query parameters; undefined members are left out. */
export type Query = Readonly<Record<string, string | number | undefined>>;

/** How the client reaches the server. */
export interface Transport {
  readonly baseUrl: string;
  readonly token: string;
  readonly fetch: typeof fetch;
}

/** Longest part of a non-problem error body kept as `detail`. */
const MAX_DETAIL_CHARS = 500;

function urlOf(baseUrl: string, path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) params.set(key, String(value));
  }
  const qs = params.toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${qs === '' ? '' : `?${qs}`}`;
}

/** A path segment, escaped (ids come from users and other answers). */
export function seg(value: string): string {
  return encodeURIComponent(value);
}

function problemOf(status: number, statusText: string, text: string, json: boolean): ApiError {
  let parsed: unknown;
  try {
    parsed = json ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (isRecord(parsed) && typeof parsed['code'] === 'string') {
    const p = parsed;
    const s = (key: string): string | undefined =>
      typeof p[key] === 'string' ? String(p[key]) : undefined;
    const runId = s('run_id');
    const type = s('type');
    return new ApiError({
      status,
      code: String(p['code']),
      title: s('title') ?? statusText,
      detail: s('detail') ?? '',
      ...(runId === undefined ? {} : { runId }),
      ...(type === undefined ? {} : { type }),
    });
  }
  return new ApiError({
    status,
    code: `HTTP_${String(status)}`,
    title: statusText || `HTTP ${String(status)}`,
    detail: text.slice(0, MAX_DETAIL_CHARS),
  });
}

/** Send a request; resolves to the successful response, rejects with an ApiError. */
export async function send(
  t: Transport,
  method: 'GET' | 'POST',
  path: string,
  options: { query?: Query; body?: unknown; accept?: string } = {},
): Promise<Response> {
  const headers: Record<string, string> = {
    authorization: `Bearer ${t.token}`,
    accept: options.accept ?? 'application/json',
  };
  const init: RequestInit = { method, headers, credentials: 'omit' };
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    init.body = JSON.stringify(options.body);
  }
  let response: Response;
  try {
    response = await t.fetch(urlOf(t.baseUrl, path, options.query), init);
  } catch (cause) {
    throw new ApiError(
      {
        status: 0,
        code: 'NETWORK_ERROR',
        title: 'Network error',
        detail: 'the server could not be reached',
      },
      { cause },
    );
  }
  if (response.ok) return response;
  const type = response.headers.get('content-type') ?? '';
  const text = await response.text().catch(() => '');
  throw problemOf(response.status, response.statusText, text, /json/i.test(type));
}

/** Send, then parse the JSON answer (still unknown: the caller decodes it). */
export async function sendJson(
  t: Transport,
  method: 'GET' | 'POST',
  path: string,
  options: { query?: Query; body?: unknown } = {},
): Promise<unknown> {
  const response = await send(t, method, path, options);
  const text = await response.text();
  try {
    const data: unknown = JSON.parse(text);
    return data;
  } catch (cause) {
    throw new ApiError(
      {
        status: response.status,
        code: 'RESPONSE_INVALID',
        title: 'Unexpected response',
        detail: 'the answer is not JSON',
      },
      { cause },
    );
  }
}
