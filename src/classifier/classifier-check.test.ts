// Tests for the classifier check with real models: silent until trained, a calibrated score with its reasons, and firm evidence it cannot cancel.
import { describe, expect, it } from 'vitest';
import { classifier, minClassifierExamples } from '../checks/classifier.ts';
import { compileConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck, screenLead } from '../engine/screen.ts';
import type { Lead, Signal } from '../engine/types.ts';
import { scoreOfLogit } from './score.ts';
import { SpamClassifier } from './spam-classifier.ts';
import { makeSyntheticLeads } from './synthetic-leads.ts';
import { trainClassifier } from './training.ts';

const config = compileConfig({});
const model = trainClassifier(makeSyntheticLeads(400, 0.4, 31), { bits: 16 });
model.calibration = { cutLogit: 2 };
const spamLead: Lead = {
  channel: 'form',
  name: 'SEO Team',
  email: 'offers@cheap-seo.example',
  message: 'Boost your website traffic today! Our SEO experts guarantee first page Google ranking.',
};
const hamLead: Lead = {
  channel: 'form',
  name: 'Ann Smith',
  email: 'ann.smith@example.com',
  message: 'Is the Toyota RAV4 still available? I would like to book a test drive on Saturday morning.',
};
const run = (lead: Lead, m: SpamClassifier | undefined, signals: Signal[] = []) =>
  runCheck(classifier, prepareLead(lead), config, { now: 0 }, { model: m, signals });

describe('classifier check', () => {
  it('stays silent and says why until the model has learned enough examples', () => {
    const young = new SpamClassifier({ bits: 12 });
    for (let i = 0; i < 12; i++) young.learn(prepareLead(spamLead), [], 'spam');
    const [signal] = run(spamLead, young);
    expect(signal?.score).toBe(0);
    expect(signal?.reason).toBe(`classifier has learned from 12 examples; needs ${minClassifierExamples}`);
  });

  it('stays silent without a model', () => {
    expect(run(spamLead, undefined)).toEqual([
      { check: 'classifier', score: 0, reason: 'classifier: no model loaded' },
    ]);
  });

  it('scores likely spam with its probability and the features that pushed it', () => {
    const [signal] = run(spamLead, model);
    expect(signal?.score).toBeGreaterThan(0);
    expect(signal?.reason).toMatch(/^classifier: \d+% likely spam$/);
    const evidence = signal?.evidence?.split(', ') ?? [];
    expect(evidence.length).toBeGreaterThan(0);
    // Function words weigh in the model but tell staff nothing.
    expect(evidence).not.toContain('your');
    expect(evidence).not.toContain('subject:your');
  });

  it('takes score off a lead it is sure is honest, but never when a honeypot already fired', () => {
    const [honest] = run(hamLead, model);
    expect(honest?.score).toBeLessThan(0);
    expect(honest?.evidence).toBeUndefined();
    const [guarded] = run(hamLead, model, [{ check: 'honeypot', score: 10, reason: 'hidden field filled' }]);
    expect(guarded?.score).toBe(0);
  });

  it('maps the logit linearly: 0 at 50%, the threshold at the cut, capped both ways', () => {
    const calibration = { cutLogit: 2 };
    expect(scoreOfLogit(0, calibration, 5)).toBe(0);
    expect(scoreOfLogit(2, calibration, 5)).toBe(5);
    expect(scoreOfLogit(100, calibration, 5)).toBe(10);
    expect(scoreOfLogit(-100, calibration, 5)).toBe(-10);
    expect(scoreOfLogit(-100, calibration, 5, 0)).toBe(0);
  });

  it('returns a finite score for hostile input: a 1 MB message, binary, lone surrogates, deep fields', () => {
    const hostile: Lead[] = [
      { channel: 'form', message: 'x'.repeat(1_000_000) },
      { channel: 'form', message: '\u0000\u0001\uffff\ud800 \udfff'.repeat(1000), name: '\ud83d' },
      {
        channel: 'form',
        fields: { a: { b: { c: { d: { e: { f: { g: { h: { i: 'deep text here' } } } } } } } } },
      },
      { channel: 'form' },
    ];
    for (const lead of hostile) {
      const [signal] = run(lead, model);
      expect(Number.isFinite(signal?.score)).toBe(true);
    }
  });

  it('quarantines made-up spam and lets the dealer enquiry through when screening with the model', () => {
    expect(screenLead(spamLead, config, { now: 0 }, { model }).outcome).toBe('quarantine');
    expect(screenLead(hamLead, config, { now: 0 }, { model }).outcome).toBe('ham');
  });
});
