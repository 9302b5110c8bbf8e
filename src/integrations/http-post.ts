// One guarded HTTP POST to a customer-supplied URL: timeout, response-size cap, no redirects, and what the attempt record needs.
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { BlockedAddressError, checkOutboundUrl, createGuardedLookup } from './url-guard.ts';
import type { UrlGuardOptions } from './url-guard.ts';

export interface HttpPostRequest {
  readonly url: string;
  readonly body: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
  /** Whole-attempt limit, connect to last byte. */
  readonly timeoutMs?: number;
  /** Bytes of the response kept; reading stops there. */
  readonly maxResponseBytes?: number;
  readonly guard?: UrlGuardOptions;
}

/** What one attempt came to; never thrown, always returned, so every attempt can be recorded. */
export interface HttpAttempt {
  readonly ok: boolean;
  /** HTTP status when a response arrived. */
  readonly status: number | undefined;
  /** The first bytes of the response body (or the error), printable and short. */
  readonly snippet: string;
  readonly durationMs: number;
  /** Set when no usable response arrived. */
  readonly error: 'timeout' | 'blocked_url' | 'network' | 'invalid_request' | undefined;
  /** False when retrying cannot help (the URL is refused by the guard, the request cannot be built). */
  readonly retryable: boolean;
}

export const httpPostDefaults = {
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024,
  snippetChars: 500,
} as const;

/** Printable, single-line-safe excerpt: control characters (other than tab/newline) become spaces. */
export function toSnippet(text: string, max: number = httpPostDefaults.snippetChars): string {
  const cleaned = text.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ' ');
  return cleaned.length > max ? `${cleaned.slice(0, max)}…` : cleaned;
}

export async function postHttp(input: HttpPostRequest): Promise<HttpAttempt> {
  const started = performance.now();
  const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
  const checked = checkOutboundUrl(input.url, input.guard);
  if (!checked.ok)
    return {
      ok: false,
      status: undefined,
      snippet: checked.message,
      durationMs: 0,
      error: 'blocked_url',
      retryable: false,
    };
  const url = checked.url;
  const timeoutMs = input.timeoutMs ?? httpPostDefaults.timeoutMs;
  const cap = input.maxResponseBytes ?? httpPostDefaults.maxResponseBytes;
  const body = typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise<HttpAttempt>((resolve) => {
    let settled = false;
    const finish = (attempt: Omit<HttpAttempt, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...attempt, durationMs: elapsed() });
    };
    const req = send(url, {
      method: 'POST',
      headers: { ...input.headers, 'content-length': String(body.length) },
      lookup: createGuardedLookup(input.guard),
      // A fresh socket per attempt: a pooled one could outlive the guard's decision.
      agent: false,
    });
    const timer = setTimeout(() => {
      finish({
        ok: false,
        status: undefined,
        snippet: `no response within ${timeoutMs} ms`,
        error: 'timeout',
        retryable: true,
      });
      req.destroy();
    }, timeoutMs);
    req.on('error', (error) => {
      const blockedAddress = error instanceof BlockedAddressError;
      finish({
        ok: false,
        status: undefined,
        snippet: toSnippet(error.message),
        error: blockedAddress ? 'blocked_url' : 'network',
        retryable: !blockedAddress,
      });
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      const status = res.statusCode ?? 0;
      const done = () => {
        const ok = status >= 200 && status < 300;
        finish({
          ok,
          status,
          snippet: toSnippet(Buffer.concat(chunks).toString('utf8')),
          error: undefined,
          retryable: !ok,
        });
        res.destroy();
      };
      res.on('data', (chunk: Buffer) => {
        if (kept >= cap) return;
        const part = chunk.subarray(0, cap - kept);
        chunks.push(part);
        kept += part.length;
        // Enough read: an endless body must not hold the worker.
        if (kept >= cap) done();
      });
      res.on('end', done);
      res.on('error', done);
    });
    req.end(body);
  });
}
