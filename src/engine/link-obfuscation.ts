// Undoes the dot obfuscations spammers use to slip links past filters (`example[.]com`, `example [dot] com`), remembering where.

export interface Replacement {
  /** Index of the '.' that stands for the obfuscated dot in the rewritten text. */
  readonly at: number;
  /** The span of the original text it replaced. */
  readonly from: number;
  readonly to: number;
}

// Bounded quantifiers keep each attempt constant-time, so the scan stays linear whatever the input.
const OBFUSCATED_DOT = /[[({]\s{0,3}(?:\.|dot)\s{0,3}[\])}]/gi;
/** Far more obfuscated dots than any link limit needs; past it the rest of the text is left as written. */
const MAX_REPLACEMENTS = 1000;

const isSpace = (c: number) => c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x3000;
export const isAsciiAlnum = (c: number) => ((c | 32) >= 97 && (c | 32) <= 122) || (c >= 48 && c <= 57);

/** Rewrites obfuscated dots (`[.]`, `(dot)`, ` [dot] `) to '.', remembering where, so raw text can be recovered. */
export function undoObfuscation(input: string): { text: string; replacements: Replacement[] } {
  if (input.indexOf('[') < 0 && input.indexOf('(') < 0 && input.indexOf('{') < 0) {
    return { text: input, replacements: [] };
  }
  OBFUSCATED_DOT.lastIndex = 0;
  let match = OBFUSCATED_DOT.exec(input);
  if (!match) return { text: input, replacements: [] };
  const parts: string[] = [];
  const replacements: Replacement[] = [];
  let last = 0;
  let length = 0;
  for (; match && replacements.length < MAX_REPLACEMENTS; match = OBFUSCATED_DOT.exec(input)) {
    let from = match.index;
    let to = from + match[0].length;
    for (let n = 0; n < 3 && from > last && isSpace(input.charCodeAt(from - 1)); n++) from--;
    for (let n = 0; n < 3 && to < input.length && isSpace(input.charCodeAt(to)); n++) to++;
    // Only a dot between two host labels is an obfuscated dot; "(.)" elsewhere is just punctuation.
    if (from <= last || !isAsciiAlnum(input.charCodeAt(from - 1)) || !isAsciiAlnum(input.charCodeAt(to)))
      continue;
    parts.push(input.slice(last, from), '.');
    length += from - last;
    replacements.push({ at: length, from, to });
    length += 1;
    last = to;
    OBFUSCATED_DOT.lastIndex = to;
  }
  if (replacements.length === 0) return { text: input, replacements };
  parts.push(input.slice(last));
  return { text: parts.join(''), replacements };
}
