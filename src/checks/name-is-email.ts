// name_is_email: the name field holds an email address, a web address, or just the email's user name, as bots fill it.
import { defineCheck } from '../engine/check.ts';
import { extractLinks } from '../engine/links.ts';

const EMAIL_LIKE = /^[^\s@]{1,64}@[^\s@]{1,255}\.[a-z]{2,63}$/i;
/** A user name people would not type as their name: digits, separators, or long enough to be two names run together. */
const MACHINE_LIKE_LOCAL = /[\d._-]/;
const MIN_RUN_TOGETHER = 10;

export const nameIsEmail = defineCheck({
  name: 'name_is_email',
  description:
    "The name is an email address or a web address, or equals the email's user name when that is not a plain first name (jsmith1987, john.smith, davidsavimbi).",
  defaultScore: 2,
  run(lead, ctx) {
    const name = lead.name;
    if (!name) return [];
    const evidence = name.slice(0, 200);
    if (EMAIL_LIKE.test(name)) return [{ score: ctx.score, reason: 'name is an email address', evidence }];
    if (extractLinks(name, 1).length > 0)
      return [{ score: ctx.score, reason: 'name is a web address', evidence }];
    const local = lead.email?.local;
    if (
      local &&
      name.toLowerCase() === local &&
      (MACHINE_LIKE_LOCAL.test(local) || local.length >= MIN_RUN_TOGETHER)
    ) {
      return [{ score: ctx.score, reason: "name is the email address's user name", evidence }];
    }
    return [];
  },
  examples: {
    hit: [
      { title: 'an email address as the name', lead: { channel: 'form', name: 'promo@cheap-seo.com' } },
      { title: 'a web address as the name', lead: { channel: 'form', name: 'http://cheap-seo.com' } },
      {
        title: 'the user name of the email as the name',
        lead: { channel: 'form', name: 'jsmith1987', email: 'jsmith1987@gmail.com' },
      },
      {
        title: 'two names run together, copied from the email',
        lead: { channel: 'form', name: 'davidsavimbi', email: 'davidsavimbi@example.com' },
      },
    ],
    miss: [
      {
        title: 'a first name that is also the email user name',
        lead: { channel: 'form', name: 'Andy', email: 'andy@r2-dvd.org' },
      },
      {
        title: 'a full name next to a matching email',
        lead: { channel: 'form', name: 'John Smith', email: 'john.smith@gmail.com' },
      },
      {
        title: 'a handle with an @ that is not an address',
        lead: { channel: 'form', name: 'hyatt@mozilla' },
      },
      { title: 'no name', lead: { channel: 'form', email: 'x1@example.com' } },
    ],
  },
});
