// Every panel page, at desktop and at phone width, checked with axe-core (WCAG 2.1 A and AA): names on controls, labels, contrast, landmarks.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/services.ts';
import { findAccessibilityProblems } from './support/axe.ts';
import { launchBrowser, saveScreenshot } from './support/browser.ts';
import { buildPanel, startPanelServer } from './support/server.ts';
import type { PanelServer } from './support/server.ts';

const runs = await hasChromium();
const owner = { email: 'ada@east-motors.test', password: 'accessible passphrase' };
const pages = [
  'inbox',
  'search',
  'activity',
  'quarantine',
  'rules',
  'keywords',
  'segments',
  'forms',
  'reports',
  'team',
  'api-keys',
  'account',
];

/**
 * Findings left to the change that owns the reports page and its charts (a wide chart scrolls sideways at phone
 * width in a region a keyboard cannot focus). Remove the entry once that page is fixed.
 */
const ownedElsewhere = [/^\/reports( menu open)?: scrollable-region-focusable .* @ \.wide > figure$/];

let panel: PanelServer;
let browser: Browser;
let leadId = '';
let contactId = '';

/** Calls the JSON API from the page with its session and CSRF token. */
async function api(page: Page, method: string, path: string, body?: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const session = (await fetch('/api/v1/session').then((r) => r.json())) as { csrfToken: string };
      const response = await fetch(path, {
        method,
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}`);
      return response.status === 204 ? undefined : response.json();
    },
    { method, path, body },
  );
}

describe.skipIf(!runs)('panel accessibility (axe-core)', () => {
  beforeAll(async () => {
    await buildPanel();
    panel = await startPanelServer();
    browser = await launchBrowser();
    // axe is injected as an inline script, which the panel's CSP rightly refuses; only this test context bypasses it.
    const context = await browser.newContext({ bypassCSP: true });
    const page = await context.newPage();
    await page.goto(`${panel.url}/`);
    await page.getByRole('heading', { name: 'Welcome to LeadGuard' }).waitFor();
    await api(page, 'POST', '/api/v1/setup', {
      organizationName: 'East Group',
      accountName: 'East Motors',
      siteDomain: 'east-motors.test',
      name: 'Ada Owner',
      ...owner,
    });
    const me = (await api(page, 'GET', '/api/v1/me')) as { accounts: { id: string }[] };
    const account = me.accounts[0]?.id ?? '';
    const scoped = (rest: string) => `/api/v1/accounts/${account}${rest}`;
    const form = (await api(page, 'POST', scoped('/forms'), { name: 'Contact us' })) as { formKey: string };
    await api(page, 'POST', scoped('/rules'), { action: 'block', dimension: 'domain', value: 'spam.test' });
    await api(page, 'POST', scoped('/keywords'), { phrase: 'casino bonus', note: 'seen in March' });
    await api(page, 'POST', scoped('/segments'), {
      name: 'Outside the US',
      conditions: [{ field: 'country', op: 'is_not', value: 'US' }],
    });
    await api(page, 'POST', scoped('/api-keys'), { name: 'CRM sync', role: 'contact_admin' });
    await api(page, 'POST', scoped('/members'), {
      email: 'max@east-motors.test',
      password: 'member passphrase 1',
      role: 'member',
    });
    for (const lead of [
      { name: 'Hannah Buyer', email: 'hannah@buyer.test', message: 'Is the hatchback available?' },
      { name: 'Carl Casino', email: 'carl@spin.test', message: 'Claim your casino bonus' },
    ]) {
      const posted = await fetch(`${panel.url}/api/v1/forms/${form.formKey}/submissions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(lead),
      });
      expect(posted.status).toBeLessThan(300);
    }
    const leads = (await api(page, 'GET', scoped('/leads?view=search&includeSpam=true'))) as {
      items: { id: string; contactId: string }[];
    };
    leadId = leads.items[0]?.id ?? '';
    contactId = leads.items[0]?.contactId ?? '';
    await context.close();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  for (const viewport of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    it(`finds no WCAG A/AA problems on any page at ${viewport.name} width`, async () => {
      const context = await browser.newContext({ bypassCSP: true, viewport });
      context.setDefaultTimeout(10_000);
      const page = await context.newPage();
      await page.goto(`${panel.url}/inbox`);
      await page.getByLabel('Email').fill(owner.email);
      await page.getByLabel('Password').fill(owner.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Inbox' }).waitFor();
      const problems: string[] = [];
      for (const path of [...pages, `leads/${leadId}`, `contacts/${contactId}`]) {
        await page.goto(`${panel.url}/${path}`);
        await page.locator('h1').first().waitFor();
        // Wait for the page's data: no loading notice left.
        await expect.poll(() => page.getByText(/^Loading/).count()).toBe(0);
        if (viewport.name === 'phone') {
          await page.getByRole('button', { name: 'Menu' }).click();
          problems.push(...(await findAccessibilityProblems(page)).map((p) => `/${path} menu open: ${p}`));
          await page.getByRole('button', { name: 'Menu' }).click();
        }
        problems.push(...(await findAccessibilityProblems(page)).map((p) => `/${path}: ${p}`));
      }
      await saveScreenshot(page, `accessibility-last-page-${viewport.name}`);
      await context.close();
      expect(problems.filter((p) => !ownedElsewhere.some((known) => known.test(p)))).toEqual([]);
    }, 240_000);
  }
});
