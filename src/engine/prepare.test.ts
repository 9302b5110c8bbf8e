import { describe, expect, it } from 'vitest';
import { limits, prepareEmail, prepareLead, preparePhone, setPhoneCacheSize } from './prepare.ts';

describe('prepareEmail', () => {
  it('lower-cases and trims, and splits the address into local part, domain and registrable domain', () => {
    expect(prepareEmail('  Jane.Doe+Cars@Mail.Example.CO.UK ')).toEqual({
      address: 'jane.doe+cars@mail.example.co.uk',
      local: 'jane.doe+cars',
      domain: 'mail.example.co.uk',
      registrableDomain: 'example.co.uk',
      syntaxValid: true,
    });
  });

  it('marks malformed addresses as invalid and keeps what it can', () => {
    expect(prepareEmail('john.smith')).toMatchObject({ local: 'john.smith', domain: '', syntaxValid: false });
    expect(prepareEmail('a@b@c.com')).toMatchObject({ local: 'a@b', domain: 'c.com', syntaxValid: false });
    expect(prepareEmail('jane@localhost')?.syntaxValid).toBe(false);
    expect(prepareEmail('jane..doe@example.com')?.syntaxValid).toBe(false);
    expect(prepareEmail(`${'a'.repeat(65)}@example.com`)?.syntaxValid).toBe(false);
    expect(prepareEmail(`a@${'b'.repeat(250)}.com`)?.syntaxValid).toBe(false);
  });

  it('drops a trailing dot from the domain', () => {
    expect(prepareEmail('jane@example.com.')?.domain).toBe('example.com');
  });

  it('accepts an internationalised domain', () => {
    expect(prepareEmail('jane@bücher.de')).toMatchObject({ domain: 'bücher.de', syntaxValid: true });
  });

  it('gives nothing for an empty or blank address', () => {
    expect(prepareEmail('')).toBeUndefined();
    expect(prepareEmail('   ')).toBeUndefined();
    expect(prepareEmail(undefined)).toBeUndefined();
  });
});

describe('preparePhone', () => {
  it('parses a US number written in several ways to one E.164 form and area code', () => {
    for (const written of ['(202) 555-0147', '+1 202-555-0147', '202.555.0147', '1 202 555 0147']) {
      expect(preparePhone(written), written).toMatchObject({ e164: '+12025550147', areaCode: '202' });
    }
  });

  it('keeps the digits as typed, extension included, and the E.164 form without it', () => {
    expect(preparePhone('202-555-0147 ext 12')).toMatchObject({
      digits: '202555014712',
      e164: '+12025550147',
    });
  });

  it('gives a foreign number its E.164 form but no NANP area code', () => {
    expect(preparePhone('+44 20 7946 0958')).toMatchObject({ e164: '+442079460958', areaCode: undefined });
  });

  it('reads full-width digits', () => {
    expect(preparePhone('２０２-５５５-０１４７')).toMatchObject({
      digits: '2025550147',
      e164: '+12025550147',
    });
  });

  it('keeps invalid or partial numbers as digits only', () => {
    expect(preparePhone('555-1234')).toEqual({
      raw: '555-1234',
      digits: '5551234',
      e164: undefined,
      areaCode: undefined,
    });
    expect(preparePhone('call me')).toEqual({
      raw: 'call me',
      digits: '',
      e164: undefined,
      areaCode: undefined,
    });
  });

  it('caps the digits and does not parse absurdly long input', () => {
    const phone = preparePhone('1'.repeat(500));
    expect(phone?.digits).toHaveLength(20);
    expect(phone?.e164).toBeUndefined();
  });

  it('gives nothing for an empty number', () => {
    expect(preparePhone(' ')).toBeUndefined();
  });

  it('reuses the parse of a number seen recently and forgets the least recently used past the cache size', () => {
    setPhoneCacheSize(2);
    try {
      const first = preparePhone('(202) 555-0147');
      expect(preparePhone('(202) 555-0147')).toBe(first);
      preparePhone('+44 20 7946 0958');
      expect(preparePhone('(202) 555-0147')).toBe(first);
      preparePhone('+44 20 7946 0958');
      preparePhone('555-1234');
      const again = preparePhone('(202) 555-0147');
      expect(again).not.toBe(first);
      expect(again).toEqual(first);
      setPhoneCacheSize(0);
      expect(preparePhone('(202) 555-0147')).not.toBe(preparePhone('(202) 555-0147'));
    } finally {
      setPhoneCacheSize(1000);
    }
  });
});

describe('prepareLead', () => {
  it('flattens standard and nested custom fields in order, with dotted paths and stringified scalars', () => {
    const lead = prepareLead({
      channel: 'form',
      name: 'Mary Ann',
      email: 'mary@example.com',
      message: 'Hello',
      fields: { vehicle: { make: 'Honda', year: 2019, used: true, note: null }, tags: ['suv', 'awd'] },
    });
    expect(lead.fields).toEqual([
      { path: 'name', value: 'Mary Ann' },
      { path: 'email', value: 'mary@example.com' },
      { path: 'message', value: 'Hello' },
      { path: 'fields.vehicle.make', value: 'Honda' },
      { path: 'fields.vehicle.year', value: '2019' },
      { path: 'fields.vehicle.used', value: 'true' },
      { path: 'fields.tags.0', value: 'suv' },
      { path: 'fields.tags.1', value: 'awd' },
    ]);
    expect(lead.truncated).toBe(false);
  });

  it('says whether every field value is plain ASCII, nested custom fields included', () => {
    expect(prepareLead({ channel: 'form', name: 'Jane', message: 'Is the car available?' }).ascii).toBe(true);
    expect(prepareLead({ channel: 'form', name: 'José', message: 'Hola' }).ascii).toBe(false);
    expect(prepareLead({ channel: 'form', message: 'Hi', fields: { car: { model: 'Škoda' } } }).ascii).toBe(
      false,
    );
    expect(prepareLead({ channel: 'form', message: 'it\u2019s me' }).ascii).toBe(false);
  });

  it('trims the name and parses email and phone', () => {
    const lead = prepareLead({
      channel: 'form',
      name: '  Ann  ',
      email: 'Ann@Example.com',
      phone: '(202) 555-0147',
    });
    expect(lead.name).toBe('Ann');
    expect(lead.email?.address).toBe('ann@example.com');
    expect(lead.phone?.e164).toBe('+12025550147');
  });

  it('ignores standard fields that are not strings', () => {
    const lead = prepareLead({ channel: 'form', name: 42, email: {}, phone: [] } as never);
    expect(lead.name).toBe('');
    expect(lead.email).toBeUndefined();
    expect(lead.phone).toBeUndefined();
    expect(lead.fields).toEqual([]);
  });

  it('takes free text from subject, message, prose-named custom fields and custom values with spaces', () => {
    const lead = prepareLead({
      channel: 'form',
      name: 'Ann Lee',
      subject: 'Quote',
      message: 'Is it available?',
      fields: {
        comments: 'nospace',
        vehicle: '2019 Honda Civic',
        stock: 'A123',
        website: 'https://ann.example',
      },
    });
    expect(lead.freeText).toBe('Quote\nIs it available?\nnospace\n2019 Honda Civic');
  });

  it('folds every field value for keyword matching', () => {
    const lead = prepareLead({ channel: 'form', name: 'ANN', message: 'Crème', fields: { x: 'ＦＲＥＥ' } });
    expect(lead.folded).toBe('ann\ncreme\nfree');
  });

  it('collects links from free text and URL fields', () => {
    const lead = prepareLead({
      channel: 'form',
      message: 'see cheap-seo.com',
      fields: { website: 'https://ann.example.org' },
    });
    expect(lead.links.map((link) => [link.host, link.source])).toEqual([
      ['cheap-seo.com', 'text'],
      ['ann.example.org', 'url_field'],
    ]);
  });

  it('stops at the depth cap and says so', () => {
    let nested: Record<string, unknown> = { leaf: 'deep value' };
    for (let i = 0; i < limits.fieldDepth + 2; i++) nested = { level: nested };
    const lead = prepareLead({ channel: 'form', fields: { top: 'kept', nested } });
    expect(lead.fields).toEqual([{ path: 'fields.top', value: 'kept' }]);
    expect(lead.truncated).toBe(true);
  });

  it('keeps values down to the depth cap', () => {
    let nested: Record<string, unknown> = { leaf: 'deep value' };
    for (let i = 0; i < limits.fieldDepth - 2; i++) nested = { l: nested };
    const lead = prepareLead({ channel: 'form', fields: { nested } });
    expect(lead.fields.map((f) => f.value)).toEqual(['deep value']);
    expect(lead.truncated).toBe(false);
  });

  it('stops at the field-count cap and says so', () => {
    const fields: Record<string, string> = {};
    for (let i = 0; i < limits.fieldCount * 2; i++) fields[`k${i}`] = 'v';
    const lead = prepareLead({ channel: 'form', name: 'Ann', fields });
    expect(lead.fields).toHaveLength(limits.fieldCount);
    expect(lead.fields[0]).toEqual({ path: 'name', value: 'Ann' });
    expect(lead.truncated).toBe(true);
  });

  it('cuts a field value at the character cap', () => {
    const lead = prepareLead({ channel: 'form', message: 'x'.repeat(limits.fieldChars + 10) });
    expect(lead.fields[0]?.value).toHaveLength(limits.fieldChars);
  });

  it('treats __proto__ and constructor as ordinary field names', () => {
    const fields = JSON.parse('{"__proto__": {"polluted": "yes"}, "constructor": "c"}') as Record<
      string,
      unknown
    >;
    const lead = prepareLead({ channel: 'form', fields });
    expect(lead.fields).toEqual([
      { path: 'fields.__proto__.polluted', value: 'yes' },
      { path: 'fields.constructor', value: 'c' },
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
