// Tests for the model: learning moves predictions, unlearning takes a mark back, classes are balanced, every kind trains.
import { describe, expect, it } from 'vitest';
import { prepareLead } from '../engine/prepare.ts';
import { explainFeatures } from './explain.ts';
import { SpamClassifier } from './spam-classifier.ts';
import { makeSyntheticLeads } from './synthetic-leads.ts';
import { screenForClassifier, trainClassifier } from './training.ts';

const spamLead = prepareLead({
  channel: 'form',
  name: 'SEO Team',
  message: 'Boost your website ranking, cheap backlinks, visit https://rank-boost.test now',
});
const hamLead = prepareLead({
  channel: 'form',
  name: 'Ann Smith',
  message: 'Is the 2019 Honda Civic still available? I would like a test drive on Saturday.',
});

describe('SpamClassifier', () => {
  it('starts undecided and learns from one mark', () => {
    const model = new SpamClassifier({ bits: 16 });
    expect(model.predict(spamLead, [])).toBeCloseTo(0.5, 5);
    model.learn(spamLead, [], 'spam');
    expect(model.predict(spamLead, [])).toBeGreaterThan(0.5);
    expect(model.examples).toBe(1);
  });

  it('unlearns an undone naive Bayes mark exactly', () => {
    const model = new SpamClassifier({ kind: 'bayes', bits: 16 });
    model.learn(hamLead, [], 'ham');
    model.learn(spamLead, [], 'spam');
    const before = model.predictLogit(spamLead, []);
    model.learn(spamLead, [], 'ham');
    expect(model.predictLogit(spamLead, [])).toBeLessThan(before);
    model.unlearn(spamLead, [], 'ham');
    expect(model.predictLogit(spamLead, [])).toBeCloseTo(before, 10);
    expect(model.examples).toBe(2);
  });

  it('moves a logistic model back towards where it was when a mark is unlearned', () => {
    const model = new SpamClassifier({ bits: 16 });
    model.learn(spamLead, [], 'spam');
    const before = model.predict(hamLead, []);
    model.learn(hamLead, [], 'spam');
    const wrong = model.predict(hamLead, []);
    model.unlearn(hamLead, [], 'spam');
    const after = model.predict(hamLead, []);
    expect(wrong).toBeGreaterThan(before);
    expect(Math.abs(after - before)).toBeLessThan(Math.abs(wrong - before));
    expect(model.examples).toBe(1);
  });

  it('weights the rarer class up so both pull equally', () => {
    const model = new SpamClassifier({ bits: 12 });
    model.spamExamples = 100;
    model.hamExamples = 400;
    expect(model.classWeight('spam')).toBeCloseTo(2.5);
    expect(model.classWeight('ham')).toBeCloseTo(0.625);
    expect(model.classWeight('spam') * 100).toBeCloseTo(model.classWeight('ham') * 400);
    model.spamExamples = 1;
    expect(model.classWeight('spam')).toBe(model.options.maxClassWeight);
  });

  it('still catches spam when trained on ten times more ham than spam', () => {
    const leads = makeSyntheticLeads(600, 0.09, 3);
    const model = trainClassifier(leads, { bits: 16 });
    const test = makeSyntheticLeads(200, 0.5, 4);
    const caught = test.filter(
      (item) =>
        item.label === 'spam' && model.predict(screenForClassifier(item.lead, { now: 0 }).prepared, []) > 0.5,
    );
    const spam = test.filter((item) => item.label === 'spam').length;
    expect(caught.length / spam).toBeGreaterThan(0.95);
  });

  for (const kind of ['logistic', 'bayes', 'ensemble'] as const) {
    it(`trains a ${kind} model that separates made-up spam from ham`, () => {
      const model = trainClassifier(makeSyntheticLeads(300, 0.4, 5), { kind, bits: 16 });
      const spam = screenForClassifier(makeSyntheticLeads(50, 1, 6)[0]!.lead);
      const ham = screenForClassifier(makeSyntheticLeads(50, 0, 7)[0]!.lead);
      expect(model.predict(spam.prepared, spam.signals)).toBeGreaterThan(0.5);
      expect(model.predict(ham.prepared, ham.signals)).toBeLessThan(0.5);
    });
  }

  it('refuses a table size it cannot hold', () => {
    expect(() => new SpamClassifier({ bits: 30 })).toThrow(RangeError);
  });
});

describe('explanations', () => {
  for (const kind of ['logistic', 'bayes', 'ensemble'] as const) {
    it(`name the same features without character n-grams as with them (${kind})`, () => {
      const model = trainClassifier(makeSyntheticLeads(300, 0.4, 8), { kind, bits: 16 });
      const leads = makeSyntheticLeads(120, 0.5, 9).map((item) => screenForClassifier(item.lead, { now: 0 }));
      const explain = (lead: (typeof leads)[number], withGrams: boolean) =>
        explainFeatures(
          lead.prepared,
          lead.signals,
          model.options.features,
          (hash, n) => model.contributionOf(hash, n),
          5,
          withGrams,
        );
      let named = 0;
      for (const lead of leads) {
        const full = explain(lead, true);
        expect(explain(lead, false)).toEqual(full);
        named += full.length;
      }
      // The comparison means something only if the leads have features to name.
      expect(named).toBeGreaterThan(leads.length);
    });
  }
});
