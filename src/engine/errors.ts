// Typed errors the engine may raise; anything else escaping the engine is a bug.

export type EngineErrorCode = 'invalid_config' | 'invalid_lead';

export class EngineError extends Error {
  constructor(
    readonly code: EngineErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'EngineError';
  }
}
