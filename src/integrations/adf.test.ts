// ADF/XML: structure, escaping of lead data, 7-bit output and the 76-character line limit.
import { describe, expect, it } from 'vitest';
import { buildAdfXml, escapeXml, splitFullName, stripNonXmlChars } from './adf.ts';
import type { AdfLead } from './adf.ts';

const lead: AdfLead = {
  id: 'lead-1',
  source: 'Contact form',
  requestDate: new Date('2026-11-23T12:00:00Z'),
  fullName: 'Ann Lee',
  email: 'ann@example.com',
  phone: '+1 555 0100',
  comments: 'Is the truck still available?',
  vendorName: 'Acme Motors',
  provider: { name: 'LeadGuard', service: 'Website form', url: 'https://leads.example.com' },
};

/** Text of every `<tag ...>` element, with references decoded and whitespace collapsed, as an XML reader would see it. */
function textsOf(xml: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}(?:\\s[^>]*)?>([^<]*)</${tag}>`, 'g');
  return [...xml.matchAll(pattern)].map((m) =>
    (m[1] ?? '')
      .replace(/&#x([0-9A-F]+);/g, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim(),
  );
}

describe('buildAdfXml', () => {
  it('writes the ADF 1.0 envelope, contact, comments, vendor and provider', () => {
    const xml = buildAdfXml(lead);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<?adf version="1.0"?>\n<adf>\n')).toBe(
      true,
    );
    expect(xml).toContain('<requestdate>2026-11-23T12:00:00+00:00</requestdate>');
    expect(textsOf(xml, 'name')).toEqual(['Ann', 'Lee', 'Acme Motors', 'LeadGuard']);
    expect(xml).toContain('<name part="first">Ann</name>');
    expect(xml).toContain('<name part="last">Lee</name>');
    expect(textsOf(xml, 'email')).toEqual(['ann@example.com']);
    expect(textsOf(xml, 'phone')).toEqual(['+1 555 0100']);
    expect(textsOf(xml, 'comments')).toEqual(['Is the truck still available?']);
    expect(textsOf(xml, 'vendorname')).toEqual(['Acme Motors']);
    expect(textsOf(xml, 'service')).toEqual(['Website form']);
    expect(xml.trimEnd().endsWith('</adf>')).toBe(true);
  });

  it('includes the vehicle of interest only when the form has one', () => {
    expect(buildAdfXml(lead)).not.toContain('<vehicle');
    const xml = buildAdfXml({
      ...lead,
      vehicle: {
        interest: 'buy',
        status: 'used',
        year: '2021',
        make: 'Ford',
        model: 'F-150',
        vin: '1FTFW1E50MFA00001',
      },
    });
    expect(xml).toContain('<vehicle interest="buy" status="used">');
    expect(textsOf(xml, 'make')).toEqual(['Ford']);
    expect(textsOf(xml, 'vin')).toEqual(['1FTFW1E50MFA00001']);
  });

  it('escapes markup in lead fields so a script tag stays text', () => {
    const xml = buildAdfXml({
      ...lead,
      fullName: 'Bob <script>alert(1)</script> & Co',
      comments: '<b>price?</b> 5 < 6 & "quotes"',
    });
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('<b>');
    expect(xml).toContain('&lt;script&gt;');
    expect(xml).toContain('&amp;');
    expect(textsOf(xml, 'comments')).toEqual(['<b>price?</b> 5 < 6 & "quotes"']);
  });

  it('writes non-ASCII characters as references, so the document is 7-bit', () => {
    const xml = buildAdfXml({ ...lead, fullName: 'José Müller', comments: 'Grüße 😀 — 日本' });
    expect(/[^\x00-\x7f]/.test(xml)).toBe(false);
    expect(textsOf(xml, 'comments')).toEqual(['Grüße 😀 — 日本']);
    expect(xml).toContain('Jos&#xE9;');
  });

  it('strips characters XML 1.0 forbids', () => {
    const xml = buildAdfXml({ ...lead, comments: 'a\u0000b\u0007c\uFFFEd\uD800e\u001Bf' });
    expect(textsOf(xml, 'comments')).toEqual(['abcdef']);
    expect(xml).not.toMatch(/&#x(0|7|1B|FFFE|D800);/);
  });

  it('keeps every line at 76 characters or fewer, words intact where there are spaces', () => {
    const words = Array.from({ length: 120 }, (_, i) => `word${i}`);
    const comments = `${words.join(' ')} ${'x'.repeat(300)} Ünïcödé ${'&'.repeat(50)}`;
    const xml = buildAdfXml({ ...lead, comments, email: `${'long'.repeat(15)}@example.com` });
    for (const line of xml.split('\n')) expect(line.length).toBeLessThanOrEqual(76);
    const [text] = textsOf(xml, 'comments');
    for (const word of words) expect(text?.split(' ')).toContain(word);
    expect(text?.replace(/ /g, '')).toContain('x'.repeat(300));
    expect(text).toContain('Ünïcödé');
  });

  it('keeps a value exact when only its tags push the line past the limit', () => {
    const email = `${'a'.repeat(55)}@example.com`;
    const xml = buildAdfXml({ ...lead, email });
    expect(textsOf(xml.replace(/<email\n>/g, '<email>'), 'email')).toEqual([email]);
    expect(xml).toContain(`>${email}</email>`);
  });

  it('leaves out empty fields instead of writing empty elements', () => {
    const xml = buildAdfXml({ ...lead, email: '  ', phone: undefined, comments: '\u0000' });
    expect(xml).not.toContain('<email');
    expect(xml).not.toContain('<phone');
    expect(xml).not.toContain('<comments');
  });
});

describe('helpers', () => {
  it('splits a full name on its last word', () => {
    expect(splitFullName('Mary Ann  Smith')).toEqual({ first: 'Mary Ann', last: 'Smith' });
    expect(splitFullName('Cher')).toEqual({ first: 'Cher' });
    expect(splitFullName('  ')).toEqual({});
  });

  it('escapes attribute-breaking characters', () => {
    expect(escapeXml(`"'<>&\n`)).toBe('&quot;&apos;&lt;&gt;&amp;&#xA;');
  });

  it('normalises line ends and drops lone surrogates', () => {
    expect(stripNonXmlChars('a\r\nb\rc\uDC00')).toBe('a\nb\nc');
  });
});
