import { describe, expect, it } from 'vitest';
import { scriptMismatch } from './script-mismatch.ts';
import { compileConfig } from '../engine/compile.ts';
import type { AccountConfigInput } from '../engine/config.ts';
import { prepareLead } from '../engine/prepare.ts';
import { runCheck } from '../engine/screen.ts';

const russian = 'Здравствуйте, предлагаем продвижение сайта в поисковых системах';
const reasons = (message: string, config: AccountConfigInput) =>
  runCheck(
    scriptMismatch,
    prepareLead({ channel: 'form', message }),
    compileConfig(config),
    { now: 0 },
    { signals: [] },
  ).map((signal) => signal.reason);

describe('script_mismatch', () => {
  it('names the writing system and the form language', () => {
    expect(reasons(russian, { language: 'en-GB' })).toEqual([
      'text is mostly in Cyrillic script, unusual for a en-GB form',
    ]);
  });

  it('takes the form-level language over the account language', () => {
    expect(reasons(russian, { language: 'en', form: { language: 'ru' } })).toEqual([]);
  });

  it('accepts the scripts listed in the options instead of the language default', () => {
    expect(
      reasons(russian, {
        language: 'en',
        checks: { script_mismatch: { options: { scripts: ['Cyrillic'] } } },
      }),
    ).toEqual([]);
  });

  it('stays silent for a language it does not know and for script names that are not scripts', () => {
    expect(reasons(russian, { language: 'tlh' })).toEqual([]);
    expect(
      reasons(russian, {
        language: 'en',
        checks: { script_mismatch: { options: { scripts: ['Klingon'] } } },
      }),
    ).toEqual([]);
  });

  it('lets a few foreign letters pass in an otherwise Latin message', () => {
    expect(reasons('Please call me, my name is 王伟 and I like the red one', { language: 'en' })).toEqual([]);
  });
});
