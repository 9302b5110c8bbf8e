// Makes submitted values storable: PostgreSQL text and jsonb refuse NUL characters and lone surrogates.
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const MAX_DEPTH = 10;

export function cleanText(value: string): string {
  return value.replace(UNSTORABLE, '\ufffd');
}

export function cleanOptionalText(value: unknown, max = 100_000): string | null {
  return typeof value === 'string' && value !== '' ? cleanText(value.slice(0, max)) : null;
}

/** A JSON-safe deep copy with storable strings (keys included); anything deeper than the cap is dropped. */
export function cleanJson(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean' || value === null) return value;
  if (depth >= MAX_DEPTH || typeof value !== 'object') return null;
  if (Array.isArray(value)) return value.map((item) => cleanJson(item, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as object)) {
    if (child !== undefined) out[cleanText(key)] = cleanJson(child, depth + 1);
  }
  return out;
}
