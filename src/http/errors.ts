// The HTTP error catalog: every error code the API answers with, its status and the message telling the caller what to fix.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/unavailable.ts';
import { isUnstorableCharacter } from '../db/unstorable.ts';
import { ServiceError } from '../services/errors.ts';
import type { ServiceErrorCode } from '../services/errors.ts';

export const errorCatalog = {
  invalid_json: { status: 400, message: 'The body is not valid JSON. Send a JSON object or a form post.' },
  empty_body: { status: 400, message: 'The body is empty. Send the form fields.' },
  invalid_body: {
    status: 400,
    message: 'The request could not be read. Check Content-Type and Content-Length.',
  },
  validation_failed: { status: 400, message: 'Some fields are missing or invalid; see details.' },
  field_too_large: { status: 413, message: 'A field is too long. Shorten it and send again.' },
  too_many_fields: { status: 413, message: 'Too many fields. Send fewer fields.' },
  body_too_large: { status: 413, message: 'The body is too large. Send less data.' },
  files_not_accepted: { status: 415, message: 'Files are not accepted. Send text fields only.' },
  unsupported_media_type: {
    status: 415,
    message:
      'Unsupported Content-Type. Use application/json, application/x-www-form-urlencoded or multipart/form-data.',
  },
  unauthenticated: {
    status: 401,
    message: 'Sign in, or send an API key as `Authorization: Bearer <key>` or `X-Api-Key`.',
  },
  invalid_credentials: { status: 401, message: 'Email or password is wrong.' },
  invalid_api_key: { status: 401, message: 'The API key is not valid.' },
  csrf_invalid: {
    status: 403,
    message: 'Missing or wrong CSRF token. Fetch one from GET /api/v1/session and send it as `x-csrf-token`.',
  },
  forbidden: { status: 403, message: 'Your role does not allow this action.' },
  not_found: { status: 404, message: 'Not found.' },
  form_not_found: { status: 404, message: 'No form has this key. Check the key in the embed snippet.' },
  method_not_allowed: { status: 405, message: 'This method is not allowed here.' },
  conflict: { status: 409, message: 'This conflicts with something that already exists.' },
  rate_limited: { status: 429, message: 'Too many requests. Wait a moment and try again.' },
  internal: {
    status: 500,
    message: 'Something went wrong on our side. Try again; if it persists, report the request id.',
  },
  unavailable: { status: 503, message: 'The service is starting or shutting down. Try again shortly.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalog;

/** An error a route raises on purpose; the handler answers with its catalog entry. */
export class HttpError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? errorCatalog[code].message);
    this.name = 'HttpError';
    this.status = errorCatalog[code].status;
  }
}

export interface ErrorBody {
  readonly error: {
    readonly code: ErrorCode;
    readonly message: string;
    readonly details?: unknown;
    readonly requestId?: string;
  };
}

// Framework and plugin error codes mapped to ours, so bad input never surfaces as a 5xx.
const frameworkCodes: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'invalid_json',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'empty_body',
  FST_ERR_CTP_BODY_TOO_LARGE: 'body_too_large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'invalid_body',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_PARTS_LIMIT: 'too_many_fields',
  FST_FIELDS_LIMIT: 'too_many_fields',
  FST_FILES_LIMIT: 'files_not_accepted',
  FST_REQ_FILE_TOO_LARGE: 'files_not_accepted',
  FST_PROTO_VIOLATION: 'validation_failed',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_MP_PREMATURE_CLOSE: 'invalid_body',
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
};

function fromStatus(status: number): ErrorCode {
  if (status === 401) return 'unauthenticated';
  if (status === 403) return 'forbidden';
  if (status === 404) return 'not_found';
  if (status === 405) return 'method_not_allowed';
  if (status === 409) return 'conflict';
  if (status === 413) return 'body_too_large';
  if (status === 415) return 'unsupported_media_type';
  if (status === 429) return 'rate_limited';
  if (status === 503) return 'unavailable';
  return status >= 400 && status < 500 ? 'invalid_body' : 'internal';
}

const serviceCodes: Readonly<Record<ServiceErrorCode, ErrorCode>> = {
  invalid_input: 'validation_failed',
  forbidden: 'forbidden',
  not_found: 'not_found',
  conflict: 'conflict',
};

/** Turns anything thrown into a catalog error; `internal` only for what really is our fault. */
export function toHttpError(error: unknown): HttpError {
  if (error instanceof HttpError) return error;
  // Services word their refusals for the caller ("a segment named X already exists").
  if (error instanceof ServiceError) return new HttpError(serviceCodes[error.code], error.message);
  const fastifyError = error as Partial<FastifyError> & { validation?: unknown };
  if (hasZodFastifySchemaValidationErrors(error)) {
    const details = error.validation.map((issue) => ({
      where: error.validationContext,
      path: issue.instancePath.replace(/^\//, '').replaceAll('/', '.'),
      message: issue.message,
    }));
    return new HttpError('validation_failed', undefined, details);
  }
  // A database that is down or restarting is a "try again", never an internal error.
  if (isDatabaseUnavailable(error))
    return new HttpError('unavailable', 'The database is not answering. Try again in a few seconds.');
  // A NUL character a service passed on unchecked: PostgreSQL refuses it, and the caller can remove it.
  if (isUnstorableCharacter(error))
    return new HttpError(
      'validation_failed',
      'A value contains a NUL character, which cannot be stored. Remove it and send again.',
    );
  const mapped = fastifyError.code ? frameworkCodes[fastifyError.code] : undefined;
  if (mapped) return new HttpError(mapped);
  // JSON.parse failures from a content-type parser carry a 400 status and no code.
  if (error instanceof SyntaxError) return new HttpError('invalid_json');
  const status = typeof fastifyError.statusCode === 'number' ? fastifyError.statusCode : 500;
  return new HttpError(fromStatus(status));
}

/** Fastify error handler: logs 5xx with the cause, answers every error from the catalog. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const httpError = toHttpError(error);
  if (httpError.code === 'unavailable') {
    // An outage answers every request at once: one line each, not a stack each.
    request.log.warn(
      { cause: error instanceof Error ? error.message : String(error) },
      'request refused: unavailable',
    );
    if (!reply.hasHeader('retry-after')) reply.header('retry-after', '5');
  } else if (httpError.status >= 500) request.log.error({ err: error }, 'request failed');
  else request.log.info({ code: httpError.code }, 'request refused');
  if (httpError.code === 'rate_limited') {
    const retryAfter = reply.getHeader('retry-after');
    if (retryAfter !== undefined) reply.header('retry-after', retryAfter);
  }
  const body: ErrorBody = {
    error: {
      code: httpError.code,
      message: httpError.message,
      ...(httpError.details === undefined ? {} : { details: httpError.details }),
      ...(httpError.status >= 500 ? { requestId: request.id } : {}),
    },
  };
  void reply.code(httpError.status).type('application/json; charset=utf-8').send(body);
}

/** Answers unknown routes from the catalog. */
export function handleNotFound(_request: FastifyRequest, reply: FastifyReply): void {
  void reply
    .code(404)
    .send({ error: { code: 'not_found', message: errorCatalog.not_found.message } } satisfies ErrorBody);
}
