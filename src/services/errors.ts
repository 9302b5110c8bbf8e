// Typed errors the services throw for bad requests; `statusCode` lets the HTTP layer answer a 4xx, never a 5xx.
export type ServiceErrorCode = 'invalid_input' | 'not_found' | 'conflict';

const statusOf: Readonly<Record<ServiceErrorCode, number>> = {
  invalid_input: 400,
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
