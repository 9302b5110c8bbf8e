// The registry: every check, once, in the order the engine runs them. The classifier stays last: it reads the others' signals.
import type { CheckDefinition } from '../engine/check.ts';

export const checks: readonly CheckDefinition[] = [];
