// Tests for the service-facing learning API: marks learned and unlearned, the confident-only guard, and the account model blended with the global one.
import { describe, expect, it } from 'vitest';
import { prepareLead } from '../engine/prepare.ts';
import {
  accountShare,
  createAccountModel,
  createBlendedModel,
  learnAutomatic,
  learnMark,
  unlearnMark,
} from './learning.ts';
import { SpamClassifier } from './spam-classifier.ts';
import { makeSyntheticLeads } from './synthetic-leads.ts';
import { screenForClassifier, trainClassifier } from './training.ts';

const global = trainClassifier(makeSyntheticLeads(300, 0.4, 21), { bits: 16, version: 'global-test' });
const spam = screenForClassifier(makeSyntheticLeads(30, 1, 22)[0]!.lead, { now: 0 });
const ham = screenForClassifier(makeSyntheticLeads(30, 0, 23)[0]!.lead, { now: 0 });
// A lead the global model has never seen anything like: staff of one account call it spam.
const odd = screenForClassifier(
  { channel: 'form', name: 'Pat Lee', message: 'Please send me your brochure about warranty extensions' },
  { now: 0 },
);

describe('learnMark and unlearnMark', () => {
  it('learns a mark and takes it back when it is undone', () => {
    const model = new SpamClassifier({ bits: 14 });
    learnMark(model, odd.prepared, odd.signals, 'spam');
    expect(model.examples).toBe(1);
    const learned = model.predict(odd.prepared, odd.signals);
    expect(learned).toBeGreaterThan(0.55);
    unlearnMark(model, odd.prepared, odd.signals, 'spam');
    expect(model.examples).toBe(0);
    const undone = model.predict(odd.prepared, odd.signals);
    expect(undone).toBeLessThan(learned);
    expect(undone).toBeCloseTo(0.5, 1);
  });
});

describe('unlearnMark with a receipt', () => {
  it('reverses a logistic mark exactly, even after other marks were learned', () => {
    const model = trainClassifier(makeSyntheticLeads(200, 0.4, 24), { bits: 16 });
    const receipt = learnMark(model, odd.prepared, odd.signals, 'spam');
    learnMark(model, ham.prepared, ham.signals, 'ham');
    const hamAfterOther = model.predictLogit(ham.prepared, ham.signals);
    unlearnMark(
      model,
      odd.prepared,
      odd.signals,
      'spam',
      JSON.parse(JSON.stringify(receipt)) as typeof receipt,
    );
    expect(receipt.step).toBeGreaterThan(0);
    expect(hamAfterOther).toBeLessThan(0);
    // What the undone mark added is gone and the later mark stays: the model matches one that never
    // saw the undone mark (up to how the later step depended on it).
    const fresh = trainClassifier(makeSyntheticLeads(200, 0.4, 24), { bits: 16 });
    learnMark(fresh, ham.prepared, ham.signals, 'ham');
    expect(model.predictLogit(odd.prepared, odd.signals)).toBeCloseTo(
      fresh.predictLogit(odd.prepared, odd.signals),
      3,
    );
  });
});

describe('learnAutomatic', () => {
  it('learns an automatic verdict the model is very sure of', () => {
    const model = trainClassifier(makeSyntheticLeads(300, 0.4, 21), { bits: 16 });
    const before = model.examples;
    expect(learnAutomatic(model, spam.prepared, spam.signals, 'spam', { minConfidence: 0.9 })).toBe(true);
    expect(model.examples).toBe(before + 1);
  });

  it('refuses an automatic verdict the model is not sure of, so it cannot teach itself its mistakes', () => {
    const model = trainClassifier(makeSyntheticLeads(300, 0.4, 21), { bits: 16 });
    const before = model.examples;
    expect(learnAutomatic(model, spam.prepared, spam.signals, 'ham')).toBe(false);
    expect(learnAutomatic(model, odd.prepared, odd.signals, 'spam')).toBe(false);
    expect(model.examples).toBe(before);
  });

  it('stops learning one class automatically once it outnumbers the other', () => {
    const model = trainClassifier(makeSyntheticLeads(300, 0.4, 21), { bits: 16 });
    model.hamExamples = model.spamExamples * 4;
    expect(learnAutomatic(model, ham.prepared, ham.signals, 'ham', { minConfidence: 0.5 })).toBe(false);
    expect(learnAutomatic(model, spam.prepared, spam.signals, 'spam', { minConfidence: 0.5 })).toBe(true);
  });
});

describe('createBlendedModel', () => {
  it('gives the account model no say without examples and a growing one as they come', () => {
    expect(accountShare(0)).toBe(0);
    expect(accountShare(200)).toBeCloseTo(0.5);
    expect(accountShare(2000)).toBeGreaterThan(0.9);
  });

  it('follows the global model until the account has marks, then leans towards the account', () => {
    const account = createAccountModel(global);
    const blended = createBlendedModel(global, account, { halfWeightAt: 20 });
    const globalOnly = global.predictLogit(odd.prepared, odd.signals);
    expect(blended.predictLogit(odd.prepared, odd.signals)).toBeCloseTo(globalOnly, 10);
    for (let i = 0; i < 20; i++) learnMark(account, odd.prepared, odd.signals, 'spam');
    for (let i = 0; i < 20; i++) learnMark(account, ham.prepared, ham.signals, 'ham');
    const after = blended.predictLogit(odd.prepared, odd.signals);
    expect(after).toBeGreaterThan(globalOnly);
    expect(after).toBeLessThan(account.predictLogit(odd.prepared, odd.signals));
    expect(blended.examples).toBe(global.examples + 40);
    expect(blended.calibration).toBe(global.calibration);
    expect(blended.version).toBe('global-test+account');
  });

  it('explains a blended prediction with readable features', () => {
    const blended = createBlendedModel(global, undefined);
    expect(blended.explain(spam.prepared, spam.signals, 3).length).toBeGreaterThan(0);
  });
});

describe('prepareLead stays the input', () => {
  it('accepts a lead straight from prepareLead without other signals', () => {
    const p = prepareLead({ channel: 'form', message: 'hello' });
    expect(Number.isFinite(createBlendedModel(global, undefined).predict(p, []))).toBe(true);
  });
});
