// Typed errors the services throw for bad requests; `statusCode` lets the HTTP layer answer a 4xx, never a 5xx.
export type ServiceErrorCode = 'invalid_input' | 'forbidden' | 'not_found' | 'conflict';

const statusOf: Readonly<Record<ServiceErrorCode, number>> = {
  invalid_input: 400,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
};

export class ServiceError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ServiceErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServiceError';
    this.statusCode = statusOf[code];
  }
}

/** A unique index refused the row: someone stored the same thing first (PostgreSQL and PGlite both say 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '23505';
}
