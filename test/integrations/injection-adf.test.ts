// Lead fields full of markup and control characters in the ADF document: well-formed 7-bit XML that reads back as the text given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildAdfXml, stripNonXmlChars } from '../../src/integrations/adf.ts';

const payloads = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  ']]>',
  '<![CDATA[x]]>',
  '<!-- c -->',
  '<?xml version="1.0"?>',
  '&',
  '&amp;',
  '&#x41;',
  '"',
  "'",
  '</comments><comments>',
  '\r\nBcc: victim@else.example',
  '\u0000\u0008\u000b\ufffe',
  '\ud800',
  'Grüße 广告 😀',
];
const hostileText = fc
  .array(fc.oneof(fc.constantFrom(...payloads), fc.string({ maxLength: 30, unit: 'binary' })), {
    minLength: 1,
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

/**
 * No XML parser is installed, so the document is read by its grammar: a processing instruction,
 * a start tag (attribute values escaped, a line break allowed before `>`), an end tag, a reference,
 * or text without markup characters. Tags must nest. Returns each element's decoded text by tag.
 */
function readAdf(xml: string): Map<string, string[]> {
  const token =
    /<\?[a-z]+(?: [a-z]+="[^"<>&]*")*\?>|<([a-z]+)((?: [a-z]+="(?:[^"<>&]|&(?:amp|lt|gt|quot|apos|#x[0-9A-F]+);)*")*)\s*>|<\/([a-z]+)>|&(amp|lt|gt|quot|apos|#x[0-9A-F]+);|[^<>&]+/y;
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  const open: { tag: string; text: string }[] = [];
  const texts = new Map<string, string[]>();
  let at = 0;
  while (at < xml.length) {
    token.lastIndex = at;
    const match = token.exec(xml);
    if (!match) throw new Error(`not well-formed at ${at}: ${JSON.stringify(xml.slice(at, at + 40))}`);
    const [whole, startTag, , endTag, reference] = match;
    const current = open.at(-1);
    if (startTag) open.push({ tag: startTag, text: '' });
    else if (endTag) {
      const closed = open.pop();
      if (closed?.tag !== endTag) throw new Error(`</${endTag}> closes <${closed?.tag}>`);
      texts.set(endTag, [...(texts.get(endTag) ?? []), closed.text]);
    } else if (reference && current)
      current.text += reference.startsWith('#x')
        ? String.fromCodePoint(Number.parseInt(reference.slice(2), 16))
        : (named[reference] ?? '');
    else if (current && !whole.startsWith('<')) current.text += whole;
    at += whole.length;
  }
  expect(open).toEqual([]);
  return texts;
}

/**
 * The characters a CRM reads, whitespace aside: the document folds lines at spaces, tabs and line
 * breaks, and splits a word longer than a line (adf.ts says why), so only whitespace may differ.
 */
const asRead = (value: string) => value.replace(/[ \t\n]+/g, '');

describe('ADF with hostile lead fields', () => {
  it('stays well-formed 7-bit XML with short lines, and every field reads back as given', () => {
    fc.assert(
      fc.property(
        fc.record({ name: hostileText, email: hostileText, phone: hostileText, comments: hostileText }),
        fc.record({ make: hostileText, model: hostileText }),
        hostileText,
        (lead, vehicle, formName) => {
          const xml = buildAdfXml({
            id: 'lead-1',
            source: formName,
            requestDate: new Date('2026-12-01T12:00:00Z'),
            firstName: lead.name,
            email: lead.email,
            phone: lead.phone,
            comments: lead.comments,
            vehicle: { interest: 'buy', ...vehicle },
            vendorName: 'Acme & Sons <Motors>',
            provider: { name: 'LeadGuard' },
          });
          expect(xml).toMatch(/^[\x20-\x7e\n]*$/);
          for (const line of xml.split('\n')) expect(line.length).toBeLessThanOrEqual(76);
          const texts = readAdf(xml);
          /** The element's text as read back, against the value as given: cleaned, trimmed, cut to its limit. */
          const expectRead = (tag: string, given: string, limit: number) => {
            const stored = asRead([...stripNonXmlChars(given).trim()].slice(0, limit).join(''));
            // An element whose value was nothing but forbidden characters or spaces is left out.
            if (stored === '') expect(texts.get(tag) ?? []).not.toContain('');
            else expect((texts.get(tag) ?? []).map(asRead)).toContain(stored);
          };
          expectRead('comments', lead.comments, 20_000);
          expectRead('email', lead.email, 254);
          expectRead('phone', lead.phone, 40);
          expectRead('make', vehicle.make, 60);
          expectRead('model', vehicle.model, 60);
          expect(texts.get('vendorname')).toEqual(['Acme & Sons <Motors>']);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('cuts a form name in the source attribute by its escaped length, so the id line stays within 76', () => {
    const xml = buildAdfXml({
      id: 'lead-1',
      source: '😀'.repeat(40),
      requestDate: new Date('2026-12-01T12:00:00Z'),
      vendorName: 'Acme',
      provider: { name: 'LeadGuard' },
    });
    const idLine = xml.split('\n').find((line) => line.includes('<id ')) ?? '';
    expect(idLine.length).toBeLessThanOrEqual(76);
    expect(idLine).toContain(`source="${'&#x1F600;'.repeat(4)}"`);
  });
});
