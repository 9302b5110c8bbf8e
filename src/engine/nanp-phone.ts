// Reads a plainly written North American number ("(212) 555-0143", "212-555-0143") the way libphonenumber does, with its patterns compiled once.
import { Metadata, parsePhoneNumberFromString } from 'libphonenumber-js/core';
import type { MetadataJson } from 'libphonenumber-js/core';
import metadataJson from 'libphonenumber-js/min/metadata';

/**
 * libphonenumber-js builds `new RegExp` from its metadata text on every match it tries, up to a
 * few dozen a number (≈ 14 µs). For a number written nationally as ten digits with at most a
 * bracketed area code and one separator between groups, its steps reduce to: the national number
 * is the ten digits; the country is the first NANP country whose leading digits start it or whose
 * number types take it (the United States when none does); the number is valid when that
 * country's types take it (its general pattern, for a country the metadata gives no types). The
 * same steps here, over the same metadata, with each pattern compiled once; compared with the
 * library on every area code and exchange. Anything written otherwise goes to the library.
 */
const PLAIN_NANP = /^(?:\(([2-9]\d\d)\) ?|([2-9]\d\d)[-. ]?)(\d{3})[-. ]?(\d{4})$/;

/** The parts of libphonenumber-js's Metadata this reads at run time (its type declarations omit them). */
interface NumberingPlanReader {
  selectNumberingPlan(country: string): void;
  getCountryCodesForCallingCode(callingCode: string): string[] | undefined;
  leadingDigits(): string | undefined;
  nationalNumberPattern(): string;
  type(name: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  hasTypes(): boolean;
}

/** The order libphonenumber's getNumberType tries types in. */
const NON_FIXED_LINE_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

interface Country {
  /** Matches at the start of the national number when the country claims it by its leading digits. */
  readonly leadingDigits: RegExp | undefined;
  /** Whether getNumberType finds a type for a ten-digit national number of this country. */
  readonly hasType: (national: string) => boolean;
  /** isValid for a number of this country: a type when the metadata has types, else the general pattern. */
  readonly isValid: (national: string) => boolean;
}

const entirely = (pattern: string) => new RegExp(`^(?:${pattern})$`);

function compileCountry(reader: NumberingPlanReader, code: string): Country {
  reader.selectNumberingPlan(code);
  const leading = reader.leadingDigits();
  const general = entirely(reader.nationalNumberPattern());
  // A type counts when it has a pattern, allows ten digits, and matches: getNumberType's isNumberTypeEqualTo.
  const types: RegExp[] = [];
  for (const name of ['FIXED_LINE', ...NON_FIXED_LINE_TYPES]) {
    const type = reader.type(name);
    const pattern = type?.pattern();
    if (!type || !pattern) continue;
    const lengths = type.possibleLengths();
    if (lengths && !lengths.includes(10)) continue;
    types.push(entirely(pattern));
  }
  const hasType = (national: string) => general.test(national) && types.some((type) => type.test(national));
  return {
    leadingDigits: leading ? new RegExp(`^(?:${leading})`) : undefined,
    hasType,
    isValid: reader.hasTypes() ? hasType : (national) => general.test(national),
  };
}

function compileNanp(): readonly Country[] {
  const reader = new Metadata(metadataJson as MetadataJson) as unknown as NumberingPlanReader;
  return (reader.getCountryCodesForCallingCode('1') ?? []).map((code) => compileCountry(reader, code));
}

const countries = compileNanp();
const unitedStates = countries[0];

/** libphonenumber's validity of a ten-digit national number written in the United States. */
function isValidNanp(national: string): boolean {
  for (const country of countries) {
    // getCountryByNationalNumber: leading digits decide alone; otherwise a country that takes the number.
    if (country.leadingDigits) {
      if (country.leadingDigits.test(national)) return country.isValid(national);
    } else if (country.hasType(national)) return true;
  }
  // No country claimed it: the number stays the default country's.
  return unitedStates?.isValid(national) ?? false;
}

/**
 * On with the metadata this was written against: the United States first, without leading
 * digits, and these numbers read as the library reads them. Another version of the library that
 * differs here turns this off, and every number goes to the library again.
 */
const enabled = ((): boolean => {
  if (!unitedStates || unitedStates.leadingDigits) return false;
  for (const raw of [
    '(212) 555-0143',
    '268-464-1234',
    '(555) 555-5555',
    '876.555.0100',
    '8005550199',
    '(201) 555-0123',
  ]) {
    const parsed = parsePhoneNumberFromString(raw, 'US', metadataJson as MetadataJson);
    const valid = parsed?.isValid() ?? false;
    const national = raw.replace(/\D/g, '');
    if (isValidNanp(national) !== valid || (valid && parsed?.number !== `+1${national}`)) return false;
  }
  return true;
})();

export interface NanpReading {
  /** E.164 form when valid. */
  readonly e164: string | undefined;
  /** The area code when valid. */
  readonly areaCode: string | undefined;
}

/**
 * What `parsePhoneNumberFromString(raw, 'US')` and `isValid()` make of `raw` when it is written
 * plainly (see PLAIN_NANP); undefined when it is not, or when the metadata is not as expected.
 */
export function readPlainNanp(raw: string): NanpReading | undefined {
  if (!enabled || raw.length > 16) return undefined;
  const parts = PLAIN_NANP.exec(raw);
  if (!parts) return undefined;
  const national = `${parts[1] ?? parts[2]}${parts[3]}${parts[4]}`;
  return isValidNanp(national)
    ? { e164: `+1${national}`, areaCode: national.slice(0, 3) }
    : { e164: undefined, areaCode: undefined };
}
