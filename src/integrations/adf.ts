// ADF/XML 1.0 (Auto-Lead Data Format) for dealer CRMs: escaped, 7-bit, lines of at most 76 characters, sent by email or HTTP.
import { postHttp } from './http-post.ts';
import type { HttpAttempt } from './http-post.ts';
import type { OutgoingMail } from './mailer.ts';
import { sanitizeHeaderText } from './mailer.ts';
import type { UrlGuardOptions } from './url-guard.ts';

export interface AdfVehicle {
  readonly interest?: 'buy' | 'lease' | 'sell' | 'trade-in' | 'test-drive';
  readonly status?: 'new' | 'used';
  readonly year?: string;
  readonly make?: string;
  readonly model?: string;
  readonly trim?: string;
  readonly vin?: string;
  readonly stock?: string;
}

export interface AdfLead {
  readonly id: string;
  /** Names the lead source in `<id source>` (the form's name). */
  readonly source: string;
  readonly requestDate: Date;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Split into first and last when those are not given. */
  readonly fullName?: string;
  readonly email?: string;
  readonly phone?: string;
  readonly comments?: string;
  readonly vehicle?: AdfVehicle;
  /** The dealer (account) receiving the lead. */
  readonly vendorName: string;
  readonly provider: { readonly name: string; readonly service?: string; readonly url?: string };
}

export const adfLineLimit = 76;

// XML 1.0 Char production; everything else (NUL, most C0 controls, lone surrogates, U+FFFE/U+FFFF) is dropped.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text as an XML 1.0 document may carry it: forbidden characters removed, line ends normalised. */
export function stripNonXmlChars(value: string): string {
  return value.replace(/\r\n?/g, '\n').replace(NOT_XML_CHAR, '');
}

/** One character as 7-bit XML: markup characters and anything outside printable ASCII become references. */
function escapeChar(char: string): string {
  switch (char) {
    case '&':
      return '&amp;';
    case '<':
      return '&lt;';
    case '>':
      return '&gt;';
    case '"':
      return '&quot;';
    case "'":
      return '&apos;';
  }
  const code = char.codePointAt(0) ?? 0;
  return code < 0x20 || code > 0x7e ? `&#x${code.toString(16).toUpperCase()};` : char;
}

/** Escapes a whole value (attribute values, short text) to 7-bit XML. */
export function escapeXml(value: string): string {
  return escapeClean(stripNonXmlChars(value));
}

// Characters that need a reference: markup, quotes, controls and everything beyond printable ASCII.
const NEEDS_ESCAPE = /[&<>"'\u0000-\u001f\u007f-\u{10FFFF}]/gu;

/** Escapes text already stripped of forbidden characters; printable ASCII without markup passes untouched. */
function escapeClean(value: string): string {
  return value.replace(NEEDS_ESCAPE, escapeChar);
}

function clip(value: string | undefined, max: number): string | undefined {
  const trimmed = value === undefined ? undefined : stripNonXmlChars(value).trim();
  if (!trimmed) return undefined;
  // Cut by code points, so a surrogate pair is never split; a short value (the usual case) is returned as is.
  return trimmed.length <= max ? trimmed : [...trimmed].slice(0, max).join('');
}

/**
 * An attribute value cut so that its escaped form is at most `maxChars`: attributes cannot be folded
 * like text, so the start tag must fit its line (a non-ASCII character escapes to up to ten).
 */
function clipAttribute(value: string | undefined, maxChars: number): string | undefined {
  let kept = '';
  let escapedLength = 0;
  for (const char of clip(value, maxChars) ?? '') {
    escapedLength += escapeChar(char).length;
    if (escapedLength > maxChars) break;
    kept += char;
  }
  return kept.trimEnd() || undefined;
}

interface XmlNode {
  readonly tag: string;
  readonly attrs?: Readonly<Record<string, string>>;
  readonly text?: string;
  readonly children?: readonly (XmlNode | undefined)[];
}

function openTag(node: XmlNode): string {
  const attrs = Object.entries(node.attrs ?? {})
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join('');
  return `<${node.tag}${attrs}>`;
}

/** Splits escaped atoms into pieces no longer than `room`, never inside a character reference. */
function hardSplit(atoms: readonly string[], room: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  for (const atom of atoms) {
    if (piece && piece.length + atom.length > room) {
      pieces.push(piece);
      piece = '';
    }
    piece += atom;
  }
  if (piece) pieces.push(piece);
  return pieces;
}

/**
 * One text element, folded at whitespace so no line passes the limit. Whitespace in XML text is
 * whitespace to a CRM, so a space may become a line break. Before the first word the break goes
 * inside the start tag (`<email` / `>value</email>`), which keeps a value exact; only a run of
 * more than ~60 characters without a space has to be split. The closing tag always follows the text.
 */
function renderText(node: XmlNode, indent: string, text: string): string[] {
  const close = `</${node.tag}>`;
  const words = text.split(/[ \t\n]+/).filter(Boolean);
  const lines: string[] = [];
  let line = `${indent}${openTag(node)}`;
  let lineHasText = false;
  const breakLine = () => {
    if (lineHasText) {
      lines.push(line);
      line = '';
    } else {
      lines.push(line.slice(0, -1));
      line = '>';
    }
  };
  words.forEach((word, index) => {
    const escaped = escapeClean(word);
    const tail = index === words.length - 1 ? close.length : 0;
    const gap = lineHasText ? 1 : 0;
    if (line.length + gap + escaped.length + tail <= adfLineLimit) {
      line += (gap ? ' ' : '') + escaped;
    } else if (escaped.length + tail + 1 <= adfLineLimit) {
      breakLine();
      line += escaped;
    } else {
      for (const piece of hardSplit([...word].map(escapeChar), adfLineLimit - close.length - 1)) {
        breakLine();
        line += piece;
        lineHasText = true;
      }
    }
    lineHasText = true;
  });
  lines.push(line + close);
  return lines;
}

function renderNode(node: XmlNode | undefined, depth: number): string[] {
  if (!node) return [];
  const indent = ' '.repeat(depth);
  if (node.children) {
    const inner = node.children.flatMap((child) => renderNode(child, depth + 1));
    if (inner.length === 0) return [];
    return [`${indent}${openTag(node)}`, ...inner, `${indent}</${node.tag}>`];
  }
  const text = clip(node.text, 100_000);
  return text === undefined ? [] : renderText(node, indent, text);
}

function textNode(
  tag: string,
  text: string | undefined,
  attrs?: Record<string, string>,
): XmlNode | undefined {
  return text === undefined ? undefined : { tag, text, attrs };
}

/** First and last name from a full name: the last word is the last name. */
export function splitFullName(full: string): { first?: string; last?: string } {
  const words = full.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return {};
  if (words.length === 1) return { first: words[0] };
  return { first: words.slice(0, -1).join(' '), last: words[words.length - 1] };
}

/** ISO 8601 with an explicit offset, to the second: what ADF readers parse. */
function formatRequestDate(date: Date): string {
  return `${date.toISOString().slice(0, 19)}+00:00`;
}

/** The whole ADF document; pure ASCII, every line at most 76 characters. */
export function buildAdfXml(lead: AdfLead): string {
  const split = lead.firstName || lead.lastName ? {} : splitFullName(lead.fullName ?? '');
  const first = clip(lead.firstName ?? split.first, 100);
  const last = clip(lead.lastName ?? split.last, 100);
  const vehicle = lead.vehicle;
  const vehicleAttrs: Record<string, string> = {};
  if (vehicle?.interest) vehicleAttrs.interest = vehicle.interest;
  if (vehicle?.status) vehicleAttrs.status = vehicle.status;
  const vehicleNode: XmlNode | undefined = vehicle
    ? {
        tag: 'vehicle',
        attrs: vehicleAttrs,
        children: [
          textNode('year', clip(vehicle.year, 4)),
          textNode('make', clip(vehicle.make, 60)),
          textNode('model', clip(vehicle.model, 60)),
          textNode('trim', clip(vehicle.trim, 60)),
          textNode('vin', clip(vehicle.vin, 30)),
          textNode('stock', clip(vehicle.stock, 30)),
        ],
      }
    : undefined;
  const prospect: XmlNode = {
    tag: 'prospect',
    attrs: { status: 'new' },
    children: [
      textNode('id', clip(lead.id, 60), {
        sequence: '1',
        source: clipAttribute(lead.source, 40) ?? 'LeadGuard',
      }),
      textNode('requestdate', formatRequestDate(lead.requestDate)),
      vehicleNode,
      {
        tag: 'customer',
        children: [
          {
            tag: 'contact',
            children: [
              textNode('name', first, { part: 'first' }),
              textNode('name', last, { part: 'last' }),
              textNode('email', clip(lead.email, 254)),
              textNode('phone', clip(lead.phone, 40)),
            ],
          },
          textNode('comments', clip(lead.comments, 20_000)),
        ],
      },
      {
        tag: 'vendor',
        children: [
          textNode('vendorname', clip(lead.vendorName, 100)),
          { tag: 'contact', children: [textNode('name', clip(lead.vendorName, 100), { part: 'full' })] },
        ],
      },
      {
        tag: 'provider',
        children: [
          textNode('name', clip(lead.provider.name, 100), { part: 'full' }),
          textNode('service', clip(lead.provider.service, 100)),
          textNode('url', clip(lead.provider.url, 300)),
        ],
      },
    ],
  };
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<?adf version="1.0"?>',
    '<adf>',
    ...renderNode(prospect, 1),
    '</adf>',
  ];
  return `${lines.join('\n')}\n`;
}

/** The plain-text email a CRM's lead inbox parses: the ADF document is the whole body. */
export function buildAdfEmail(input: {
  readonly xml: string;
  readonly to: string;
  readonly from: string;
  readonly subject?: string;
  readonly messageId?: string;
}): OutgoingMail {
  return {
    from: input.from,
    to: [input.to],
    subject: sanitizeHeaderText(input.subject ?? 'ADF lead'),
    text: input.xml,
    messageId: input.messageId,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/** Posts the document to a CRM's HTTP endpoint; the idempotency key lets the receiver drop a repeat. */
export function postAdf(input: {
  readonly url: string;
  readonly xml: string;
  readonly idempotencyKey: string;
  readonly timeoutMs?: number;
  readonly guard?: UrlGuardOptions;
}): Promise<HttpAttempt> {
  return postHttp({
    url: input.url,
    body: input.xml,
    headers: {
      'content-type': 'application/xml',
      'user-agent': 'LeadGuard-ADF/1',
      'idempotency-key': input.idempotencyKey,
    },
    timeoutMs: input.timeoutMs,
    guard: input.guard,
  });
}
