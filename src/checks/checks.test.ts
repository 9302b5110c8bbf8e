// Runs every check's own hit and miss examples through the engine, and guards the registry's invariants.
import { describe, expect, it } from 'vitest';
import { checks } from './index.ts';
import { compileConfig } from '../engine/compile.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';
import type { CheckExample } from '../engine/check.ts';

const NOW = Date.parse('2026-11-23T12:00:00Z');

function signalsFor(check: (typeof checks)[number], example: CheckExample) {
  const config = compileConfig(example.config ?? { siteDomains: ['dealer.example'] }, {
    renderTokenSecret: 'test-secret-for-examples',
  });
  return runCheck(check, prepareLead(example.lead), config, { now: NOW, ...example.facts }, { signals: [] });
}

describe('check registry', () => {
  it('has unique snake_case names', () => {
    const names = checks.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z][a-z0-9_]*$/);
  });

  it('gives every check at least one hit and one miss example', () => {
    for (const check of checks) {
      expect(check.examples.hit.length, check.name).toBeGreaterThan(0);
      expect(check.examples.miss.length, check.name).toBeGreaterThan(0);
    }
  });
});

for (const check of checks) {
  describe(check.name, () => {
    for (const example of check.examples.hit) {
      it(`fires: ${example.title}`, () => {
        const signals = signalsFor(check, example);
        expect(signals.length).toBeGreaterThan(0);
        for (const signal of signals) {
          expect(signal.check).toBe(check.name);
          expect(signal.reason.length).toBeGreaterThan(0);
          expect(Number.isFinite(signal.score)).toBe(true);
        }
      });
    }
    for (const example of check.examples.miss) {
      it(`stays silent: ${example.title}`, () => {
        const signals = signalsFor(check, example).filter((s) => s.score !== 0 || s.hard);
        expect(signals).toEqual([]);
      });
    }
  });
}
