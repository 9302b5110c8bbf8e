// Registrable-domain parses (tldts) remembered by host name: the same hosts recur lead after lead.
import { parse } from 'tldts';

export type ParsedHost = ReturnType<typeof parse>;
type ParseOptions = Parameters<typeof parse>[1];

/**
 * Four in five email domains and link hosts of the dev leads repeat one of an earlier lead (the big
 * mail providers, a spammer's site), and a parse costs a walk of the public suffix list each time.
 * Bounded: emptied when full.
 */
const MAX_ENTRIES = 4096;

/** `parse(host, options)`, remembered by host. Results are shared between callers: read them, never change them. */
export function rememberParses(options?: ParseOptions): (host: string) => ParsedHost {
  const memo = new Map<string, ParsedHost>();
  return (host) => {
    let parsed = memo.get(host);
    if (parsed === undefined) {
      if (memo.size >= MAX_ENTRIES) memo.clear();
      parsed = parse(host, options);
      memo.set(host, parsed);
    }
    return parsed;
  };
}
