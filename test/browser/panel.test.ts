// The control panel in a real browser against the real server: setup, login, embed intake, review, roles, XSS, cloning.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/services.ts';
import { launchBrowser, saveScreenshot, watchPage } from './support/browser.ts';
import { signIn } from './support/sign-in.ts';
import { buildPanel, startPanelServer, startSitePage } from './support/server.ts';
import type { PanelServer } from './support/server.ts';

const runs = await hasChromium();
// Chromium resolves every *.localhost name to loopback: the site gets its own origin and a real domain name.
const siteHost = 'site.localhost';
const owner = { email: 'owner@example-motors.test', password: 'correct horse battery staple' };
const member = { email: 'member@example-motors.test', password: 'member password 123' };

let panel: PanelServer;
let site: Awaited<ReturnType<typeof startSitePage>>;
let browser: Browser;
let ownerContext: BrowserContext;
let page: Page;
let accountId = '';

/** Posts a lead straight to the public intake (as a plain HTML form without the embed script would). */
async function postLead(formKey: string, fields: Record<string, string>): Promise<void> {
  const response = await fetch(`${panel.url}/api/v1/forms/${formKey}/submissions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(fields),
  });
  expect(response.status).toBeLessThan(300);
}

async function formKeyOf(target: Page): Promise<string> {
  await target.goto(`${panel.url}/forms`);
  const snippet = await target.locator('.snippet code').first().textContent();
  const key = /data-leadguard-form="([^"]+)"/.exec(snippet ?? '')?.[1];
  if (!key) throw new Error(`no form key in the embed snippet: ${snippet}`);
  return key;
}

async function visibleCount(target: Page): Promise<string> {
  return (await target.locator('[data-testid="quarantine-count"]:visible').first().textContent()) ?? '';
}

describe.skipIf(!runs)('control panel in Chromium', () => {
  let formKey = '';

  beforeAll(async () => {
    await buildPanel();
    panel = await startPanelServer();
    site = await startSitePage(panel.url, siteHost);
    browser = await launchBrowser();
    ownerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Fail at the step that waits, well inside the test's own time limit.
    ownerContext.setDefaultTimeout(10_000);
    page = await ownerContext.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await panel?.close();
  });

  it('walks a fresh install through first-run setup and signs the owner in', async () => {
    await page.goto(`${panel.url}/`);
    await page.getByRole('heading', { name: 'Welcome to LeadGuard' }).waitFor();
    await saveScreenshot(page, 'setup');
    await page.getByLabel('Organization').fill('Example Motor Group');
    await page.getByLabel('Account name').fill('Example Motors');
    await page.getByLabel('Website domain').fill('example-motors.test');
    await page.getByLabel('Your name').fill('Olive Owner');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password', { exact: true }).fill(owner.password);
    await page.getByLabel('Password again').fill(owner.password);
    await page.getByRole('button', { name: 'Create and sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(page.url()).toBe(`${panel.url}/inbox`);
    const setup = await fetch(`${panel.url}/api/v1/setup`).then((r) => r.json());
    expect(setup).toEqual({ needsSetup: false });
    accountId = await page.evaluate(() =>
      fetch('/api/v1/me')
        .then((r) => r.json())
        .then((me: { accounts: { id: string }[] }) => me.accounts[0]?.id ?? ''),
    );
    expect(accountId).not.toBe('');
  });

  it('signs out and back in with email and password, and refuses a wrong password', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to LeadGuard' }).waitFor();
    await saveScreenshot(page, 'login');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('wrong');
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
  });

  it('shows a form with its embed snippet, and a lead sent through the snippet on the site arrives in the inbox', async () => {
    await page.goto(`${panel.url}/forms`);
    if ((await page.locator('.form-card').count()) === 0) {
      await page.getByLabel('New form name').fill('Contact us');
      await page.getByRole('button', { name: 'Add form' }).click();
      await page.locator('.form-card').first().waitFor();
    }
    const domains = page.locator('.form-card').first().getByLabel('Site domains');
    if (!(await domains.inputValue()).includes(siteHost)) {
      await domains.fill(`example-motors.test\n${siteHost}`);
      await page.getByRole('button', { name: 'Save form' }).first().click();
      await page.getByText('Form saved.').waitFor();
    }
    formKey = await formKeyOf(page);
    await saveScreenshot(page, 'forms');

    site.setFormKey(formKey);
    const visitor = await browser.newPage();
    await visitor.goto(site.url);
    await visitor.locator('form[data-leadguard-ready]').waitFor();
    await visitor.getByLabel('Name').fill('Hannah Buyer');
    await visitor.getByLabel('Email').fill('hannah@buyer-family.test');
    await visitor.getByLabel('Phone').fill('+1 415 555 0134');
    await visitor
      .getByLabel('Message')
      .fill('Is the blue 2024 hatchback still available for a test drive on Saturday?');
    // A person takes a few seconds to fill a form; the render token's minimum age stands for that.
    await visitor.waitForTimeout(3500);
    await visitor.getByRole('button', { name: 'Send' }).click();
    await visitor.locator('form[data-leadguard-sent]').waitFor();
    await visitor.close();

    await page.goto(`${panel.url}/inbox`);
    await page.getByRole('link', { name: 'Hannah Buyer' }).waitFor();
    await saveScreenshot(page, 'inbox');
    await page.getByRole('link', { name: 'Hannah Buyer' }).click();
    await page.getByRole('heading', { name: 'Hannah Buyer' }).waitFor();
    await expect.poll(() => page.locator('.fields').textContent()).toContain('blue 2024 hatchback');
    await saveScreenshot(page, 'lead-detail');
    await page.getByRole('link', { name: 'Contact page' }).click();
    await page.getByRole('heading', { name: 'Timeline' }).waitFor();
    expect(await page.locator('.timeline li').count()).toBeGreaterThan(0);
    await saveScreenshot(page, 'contact');
  });

  it('releases a quarantined lead as not spam, and it then appears in the inbox', async () => {
    await page.goto(`${panel.url}/keywords`);
    await page.getByLabel('Phrase').fill('casino bonus');
    await page.getByRole('button', { name: 'Try it on the last 30 days' }).click();
    await expect.poll(() => page.locator('.try-result').textContent()).toContain('Would have caught 0 leads');
    await page.getByRole('button', { name: 'Add keyword' }).click();
    await page.getByText('Keyword added.').waitFor();
    await saveScreenshot(page, 'keywords');

    await postLead(formKey, {
      name: 'Carl Casino',
      email: 'carl@lucky-spins.test',
      message: 'Claim your casino bonus today',
    });
    await page.goto(`${panel.url}/quarantine`);
    const row = page.locator('tr', { hasText: 'Carl Casino' });
    await row.waitFor();
    await expect.poll(() => visibleCount(page)).toBe('1');
    await saveScreenshot(page, 'quarantine');
    await row.getByRole('button', { name: 'Not spam: Carl Casino' }).click();
    await row.waitFor({ state: 'detached' });
    // The badge follows without a reload.
    await expect.poll(() => visibleCount(page)).toBe('0');
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('link', { name: 'Carl Casino' }).waitFor();
  });

  it('blocks the email domain of a quarantined lead, so later leads from it are quarantined too', async () => {
    await postLead(formKey, {
      name: 'Sam Spinner',
      email: 'sam@spin-palace.test',
      message: 'casino bonus inside',
    });
    await page.goto(`${panel.url}/quarantine`);
    const row = page.locator('tr', { hasText: 'Sam Spinner' });
    await row.waitFor();
    await row.getByRole('button', { name: 'Block domain: Sam Spinner' }).click();
    await page.goto(`${panel.url}/rules`);
    await page.locator('td', { hasText: 'spin-palace.test' }).waitFor();
    await saveScreenshot(page, 'rules');

    await postLead(formKey, {
      name: 'Sue Spinner',
      email: 'sue@spin-palace.test',
      message: 'Hello, a quiet question about financing.',
    });
    await page.goto(`${panel.url}/quarantine`);
    await page.locator('tr', { hasText: 'Sue Spinner' }).waitFor();
  });

  it('renders script and onerror payloads in lead fields as text: no dialog, no injected element', async () => {
    const xss = await browser.newPage();
    const seen = watchPage(xss);
    await xss.context().addCookies(await ownerContext.cookies());
    await postLead(formKey, {
      name: '<img src=x onerror="alert(document.domain)">',
      email: 'mallory@attacker.test',
      message: '<script>alert("xss")</script><b id="injected">bold</b>',
      company: '<svg onload=alert(2)></svg><iframe src="javascript:alert(3)"></iframe>',
    });
    await xss.goto(`${panel.url}/search?q=mallory&spam=1`);
    await xss.locator('a.lead-link').first().click();
    await xss.locator('.fields').waitFor();
    const fields = xss.locator('.fields');
    await expect.poll(() => fields.textContent()).toContain('<script>alert("xss")</script>');
    expect(await fields.textContent()).toContain('onerror="alert(document.domain)"');
    expect(
      await xss.locator('.fields img, .fields script, .fields svg, .fields iframe, #injected').count(),
    ).toBe(0);
    expect(await xss.locator('h1').textContent()).toContain('<img src=x');
    await saveScreenshot(xss, 'lead-xss-as-text');
    expect(seen.dialogs).toEqual([]);
    expect(seen.errors).toEqual([]);
    await xss.close();
  });

  it('shows a member no review buttons, and the API refuses the member a flag', async () => {
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Add someone or change a role' }).waitFor();
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Name', { exact: true }).fill('Mia Member');
    await page.getByLabel('Initial password').fill(member.password);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Save member' }).click();
    await page.getByRole('cell', { name: member.email, exact: true }).waitFor();
    await saveScreenshot(page, 'team');

    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const memberPage = await context.newPage();
    await signIn(memberPage, panel.url, member);
    await memberPage.getByRole('link', { name: 'Hannah Buyer' }).click();
    await memberPage.locator('.fields').waitFor();
    expect(await memberPage.getByRole('button', { name: /spam/i }).count()).toBe(0);
    await saveScreenshot(memberPage, 'lead-detail-member-phone');
    await memberPage.goto(`${panel.url}/quarantine`);
    await memberPage.locator('tr', { hasText: 'Sue Spinner' }).waitFor();
    expect(await memberPage.getByRole('button', { name: /not spam/i }).count()).toBe(0);
    await saveScreenshot(memberPage, 'quarantine-member-phone');
    const refused = await memberPage.evaluate(async (account) => {
      const session = await fetch('/api/v1/session').then((r) => r.json() as Promise<{ csrfToken: string }>);
      const leads = await fetch(`/api/v1/accounts/${account}/leads?view=inbox`).then(
        (r) => r.json() as Promise<{ items: { id: string }[] }>,
      );
      const lead = leads.items[0]?.id ?? 'none';
      const answer = await fetch(`/api/v1/accounts/${account}/leads/${lead}/mark-spam`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: '{}',
      });
      return answer.status;
    }, accountId);
    expect(refused).toBe(403);
    await context.close();
  });

  it('clones a rule to another account of the organization and skips it the second time', async () => {
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByLabel('Account name').fill('Example Motors West');
    await page.getByLabel('Website domain').fill('west.example-motors.test');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account Example Motors West created').waitFor();
    const westId = await page
      .getByLabel('Account', { exact: true })
      .locator('option', { hasText: 'Example Motors West' })
      .getAttribute('value');
    if (!westId) throw new Error('the new account is not in the account switcher');
    await page.getByRole('link', { name: 'Clone rules' }).click();
    await page.getByRole('heading', { name: 'Clone rules' }).waitFor();
    await page.getByLabel(/spin-palace\.test/).check();
    await page.getByLabel('Example Motors West').check();
    await page.getByRole('button', { name: 'Copy rules' }).click();
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain('Created 1 rule');
    await saveScreenshot(page, 'clone-rules');
    await page.getByRole('button', { name: 'Copy rules' }).click();
    await expect
      .poll(() => page.getByRole('status').last().textContent())
      .toMatch(/Created 0 rules, skipped 1/);

    await page.getByLabel('Account', { exact: true }).selectOption(westId);
    await page.getByRole('link', { name: 'Rules', exact: true }).click();
    await page.locator('td', { hasText: 'spin-palace.test' }).waitFor();
  });

  it('works with a keyboard at phone width: skip link, folded menu, visible focus', async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(10_000);
    const phone = await context.newPage();
    await signIn(phone, panel.url, owner);
    await phone.keyboard.press('Tab');
    expect(await phone.evaluate(() => document.activeElement?.textContent)).toBe('Skip to content');
    // The quarantine count stays in the top row while the menu is folded.
    await phone.locator('.quarantine-chip').waitFor();
    expect(await phone.getByRole('link', { name: 'Reports' }).isVisible()).toBe(false);
    await phone.getByRole('button', { name: 'Menu' }).focus();
    await phone.keyboard.press('Enter');
    await expect
      .poll(() => phone.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded'))
      .toBe('true');
    const outline = await phone
      .getByRole('button', { name: 'Menu' })
      .evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await phone.getByRole('link', { name: 'Reports' }).focus();
    await phone.keyboard.press('Enter');
    await phone.getByRole('heading', { name: 'Reports' }).waitFor();
    // Focus moves after the new page renders (an effect), so wait for it rather than read it once.
    await expect.poll(() => phone.evaluate(() => document.activeElement?.id)).toBe('main');
    await saveScreenshot(phone, 'reports-phone');
    await context.close();
  });

  it('draws the reports and keeps screenshots of the remaining pages', async () => {
    await page.getByLabel('Account', { exact: true }).selectOption(accountId);
    await page.getByRole('link', { name: 'Reports' }).click();
    await page.getByLabel('Include quarantined leads').check();
    await page.locator('.chart svg').first().waitFor();
    expect(await page.locator('.chart svg[role="img"]').count()).toBeGreaterThan(0);
    await page.getByRole('img', { name: /^Leads by source: Website form \d+ active/ }).waitFor();
    await saveScreenshot(page, 'reports');
    await page.goto(`${panel.url}/segments`);
    await page.getByLabel('Name', { exact: true }).fill('Outside the US');
    await page.getByRole('button', { name: 'Add segment' }).click();
    await page.getByRole('heading', { name: 'Outside the US' }).waitFor();
    for (const name of ['segments', 'search', 'activity']) {
      await page.goto(`${panel.url}/${name}`);
      await page.locator('h1').waitFor();
      await saveScreenshot(page, name);
    }
  });
});
