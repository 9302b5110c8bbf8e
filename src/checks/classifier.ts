// classifier: the learned model's probability of spam as a score, silent until the model has learned from enough marked leads.
import { defineCheck } from '../engine/check.ts';
import type { Finding } from '../engine/check.ts';
import { floorShareFor, scoreOfLogit } from '../classifier/score.ts';
import { defaultCalibration, isExplainableModel } from '../classifier/spam-classifier.ts';

/** Below this many learned examples a model is closer to a guess than to evidence. */
export const minClassifierExamples = 200;

const logitOf = (p: number): number => {
  const q = Math.min(1 - 1e-12, Math.max(1e-12, p));
  return Math.log(q / (1 - q));
};

export const classifier = defineCheck({
  name: 'classifier',
  description:
    'The learned spam model (trained from the base corpus and the account’s own spam / not-spam marks) scores the lead: 0 at 50% likely spam, the check’s score (the default threshold, 5) at the calibrated cut, up to twice that; confident ham takes off up to twice that too, except when a honeypot, render token, flood, keyword or rule check already found something. Silent until the model has learned `minExamples` (200) examples. Evidence: the words and features that pushed it.',
  defaultScore: 5,
  run(lead, ctx): Finding[] {
    const model = ctx.model;
    if (!model) return [{ score: 0, reason: 'classifier: no model loaded' }];
    const needed =
      typeof ctx.options.minExamples === 'number' ? ctx.options.minExamples : minClassifierExamples;
    if (model.examples < needed)
      return [
        { score: 0, reason: `classifier has learned from ${model.examples} examples; needs ${needed}` },
      ];
    const explainable = isExplainableModel(model);
    const logit = explainable
      ? model.predictLogit(lead, ctx.signals)
      : logitOf(model.predict(lead, ctx.signals));
    const probability = 1 / (1 + Math.exp(-logit));
    const calibration = explainable ? model.calibration : defaultCalibration;
    const score = scoreOfLogit(logit, calibration, ctx.score, floorShareFor(ctx.signals));
    const percent = probability >= 0.5 ? Math.floor(probability * 100) : Math.ceil(probability * 100);
    const reason = `classifier: ${percent}% likely spam`;
    if (score <= 0 || !explainable) return [{ score, reason }];
    const top = model.explain(lead, ctx.signals, 5);
    return [top.length > 0 ? { score, reason, evidence: top.join(', ') } : { score, reason }];
  },
  // The generic example test screens without a model, so these show the no-model reason; the
  // learned behaviour is tested with real models in src/classifier/classifier-check.test.ts.
  examples: {
    hit: [
      {
        title: 'says why it is silent when no model is loaded',
        lead: { channel: 'form', name: 'Ann', message: 'Cheap pills, click here' },
      },
    ],
    miss: [
      {
        title: 'never scores without a model',
        lead: { channel: 'form', name: 'Ann', message: 'Is the car still available?' },
      },
    ],
  },
});
