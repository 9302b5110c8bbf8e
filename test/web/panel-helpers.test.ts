// The panel's pure helpers: CSV export safety, reading lead rows, and date and label formatting.
import { describe, expect, it } from 'vitest';
import {
  normalizeForm,
  normalizeLead,
  normalizeLeadDetail,
  normalizeReports,
  withHits,
} from '../../web/src/api/normalize.ts';
import { toCsv } from '../../web/src/csv.ts';
import { daysUntil, formatFieldValue, humanize } from '../../web/src/format.ts';

describe('CSV export', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(toCsv([['a,b', 'say "hi"', 'two\nlines', 3]])).toBe('"a,b","say ""hi""","two\nlines",3');
  });

  it('keeps a cell that a spreadsheet would run as a formula as text', () => {
    expect(toCsv([['=HYPERLINK("http://evil.example")', '+1 555', '@SUM(A1)', 'plain']])).toBe(
      `"'=HYPERLINK(""http://evil.example"")",'+1 555,'@SUM(A1),plain`,
    );
  });

  it('leaves negative numbers as numbers', () => {
    expect(toCsv([[-3, 0]])).toBe('-3,0');
  });
});

describe('lead rows', () => {
  it('takes the main reason from the strongest signal', () => {
    const lead = normalizeLead({
      id: 'l1',
      status: 'quarantined',
      receivedAt: '2026-11-20T10:00:00Z',
      verdict: {
        score: 9,
        outcome: 'quarantine',
        signals: [
          { check: 'referrer', score: 1, reason: 'no referrer' },
          { check: 'keywords', score: 8, reason: 'spam phrase “casino”' },
        ],
      },
    });
    expect(lead.mainReason).toBe('spam phrase “casino”');
    expect(lead.score).toBe(9);
  });

  it('reads name, email and form from nested fields and treats an unknown status as active', () => {
    const lead = normalizeLead({
      id: 'l2',
      status: 'weird',
      fields: { name: 'Ann', email: 'ann@example.com' },
      form: { id: 'f1', name: 'Contact' },
    });
    expect(lead).toMatchObject({
      status: 'active',
      name: 'Ann',
      email: 'ann@example.com',
      formId: 'f1',
      formName: 'Contact',
    });
  });

  it('never throws on a row with wrong types', () => {
    const detail = normalizeLeadDetail({
      id: 7,
      verdict: 'nope',
      deliveries: [null, 3, { state: 'failed' }],
      fields: [],
    } as never);
    expect(detail.id).toBe('7');
    expect(detail.verdict).toBeNull();
    expect(detail.fields).toEqual({});
    expect(detail.deliveries).toEqual([
      { id: '2', kind: 'delivery', state: 'failed', attempts: undefined, lastError: null, updatedAt: null },
    ]);
  });
});

describe('API answers in the panel’s terms', () => {
  it('reads a report answer into the five charts', () => {
    const reports = normalizeReports({
      perDay: [{ day: '2026-11-22', active: 4, quarantined: 2 }],
      byForm: [{ formId: null, formName: null, active: 1 }],
      bySource: [{ source: 'akismet', active: 1 }],
      quarantineReasons: [{ check: 'keywords', count: 2 }],
      releaseRateByCheck: [{ check: 'keywords', quarantined: 2, released: 1, rate: 0.5 }],
    });
    expect(reports).toEqual({
      overTime: [{ day: '2026-11-22', active: 4, quarantined: 2 }],
      byForm: [{ label: 'No form (API, calls)', active: 1, quarantined: 0 }],
      bySource: [{ source: 'akismet', active: 1, quarantined: 0 }],
      reasons: [{ check: 'keywords', count: 2 }],
      releaseRate: [{ check: 'keywords', quarantined: 2, released: 1 }],
    });
  });

  it('takes hit counts and form keys under their API names', () => {
    expect(withHits({ id: 'k', phrase: 'x', hitCount: 4 } as never)).toMatchObject({ hits: 4 });
    expect(normalizeForm({ id: 'f', name: 'Contact', formKey: 'f_abc' } as never).publicKey).toBe('f_abc');
  });

  it('shows the subject and message of a lead among its fields', () => {
    const detail = normalizeLeadDetail({
      id: 'l',
      subject: 'Hi',
      message: 'Body',
      fields: { vehicle: 'Van' },
    });
    expect(detail.fields).toEqual({ subject: 'Hi', message: 'Body', vehicle: 'Van' });
  });
});

describe('formatting', () => {
  it('shows nested submitted values as JSON text, never as markup', () => {
    expect(formatFieldValue({ a: ['<b>x</b>'] })).toBe('{\n  "a": [\n    "<b>x</b>"\n  ]\n}');
    expect(formatFieldValue(null)).toBe('');
  });

  it('counts whole days left until the auto-delete date', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(daysUntil('2026-11-30T12:00:00Z', now)).toBe(7);
    expect(daysUntil('2026-11-20T00:00:00Z', now)).toBe(0);
    expect(daysUntil('not a date', now)).toBeUndefined();
  });

  it('turns codes into words', () => {
    expect(humanize('block_rule')).toBe('Block rule');
    expect(humanize('mark-not-spam')).toBe('Mark not spam');
  });
});
