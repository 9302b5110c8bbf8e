// The panel's account features in Chromium against the real server: API keys shown once and revoked, member removal, password change.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasChromium } from '../support/services.ts';
import { launchBrowser, saveScreenshot } from './support/browser.ts';
import { openBackend } from '../../src/http/backend.ts';
import type { Db } from '../../src/db/database.ts';
import { addMembership, createAccount, createOrganization } from '../../src/services/index.ts';
import { signIn } from './support/sign-in.ts';
import { buildPanel, startPanelServer } from './support/server.ts';
import type { PanelServer } from './support/server.ts';

const runs = await hasChromium();
const owner = { email: 'olive@north-motors.test', password: 'first owner passphrase' };
const member = { email: 'milo@north-motors.test', password: 'member passphrase 1' };
const phone = { width: 390, height: 844 };

let panel: PanelServer;
let browser: Browser;
let ownerContext: BrowserContext;
let page: Page;
const pageErrors: string[] = [];
let accountId = '';
let db: Db | undefined;

async function newContext(viewport = { width: 1280, height: 900 }): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport });
  // Fail at the step that waits, well inside the test's own time limit.
  context.setDefaultTimeout(10_000);
  return context;
}

/** Accepts the next confirm() the page shows, so a click that asks first goes through. */
function acceptNextDialog(target: Page): void {
  target.once('dialog', (dialog) => void dialog.accept());
}

describe.skipIf(!runs)('account features in Chromium', () => {
  beforeAll(async () => {
    await buildPanel();
    // The real backend, with a handle on its database to give the owner an account in another organization.
    panel = await startPanelServer({
      openBackend: async (config) => {
        // The backend is the storage backend plus jobs; its type names only what the server uses, not the db.
        const backend = (await openBackend(config)) as Awaited<ReturnType<typeof openBackend>> & { db: Db };
        db = backend.db;
        return backend;
      },
    });
    browser = await launchBrowser();
    ownerContext = await newContext();
    page = await ownerContext.newPage();
    // Not watchPage: it dismisses every dialog, and these pages ask before revoking or removing.
    page.on('pageerror', (error) => pageErrors.push(error.message));
    // First-run setup through the API from the page, so the browser holds the owner's session.
    await page.goto(`${panel.url}/`);
    await page.getByRole('heading', { name: 'Welcome to LeadGuard' }).waitFor();
    accountId = await page.evaluate(async (who) => {
      const session = (await fetch('/api/v1/session').then((r) => r.json())) as { csrfToken: string };
      const setup = await fetch('/api/v1/setup', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
        body: JSON.stringify({
          organizationName: 'North Motor Group',
          accountName: 'North Motors',
          siteDomain: 'north-motors.test',
          name: 'Olive Owner',
          ...who,
        }),
      });
      if (!setup.ok) throw new Error(`setup answered ${setup.status}`);
      const me = (await fetch('/api/v1/me').then((r) => r.json())) as { accounts: { id: string }[] };
      return me.accounts[0]?.id ?? '';
    }, owner);
    expect(accountId).not.toBe('');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await panel?.close();
  });

  it('creates an API key shown once with a copy button, lists it by prefix, and revokes it', async () => {
    await ownerContext.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: panel.url });
    await page.goto(`${panel.url}/inbox`);
    await page.getByRole('link', { name: 'API keys' }).click();
    await page.getByRole('heading', { name: 'API keys', level: 1 }).waitFor();
    await page.getByText('This account has no API keys.').waitFor();
    await page.getByLabel('Key name').fill('CRM sync');
    await page.getByLabel('Key role').selectOption('contact_admin');
    await page.getByRole('button', { name: 'Create key' }).click();
    const shown = page.getByTestId('new-api-key');
    await shown.waitFor();
    const key = (await shown.textContent()) ?? '';
    expect(key).toMatch(/^lg_/);
    await page.getByRole('button', { name: 'Copy key' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(key);
    const row = page.locator('tr', { hasText: 'CRM sync' });
    await row.waitFor();
    expect(await row.textContent()).toContain(key.slice(0, 10));
    expect(await row.textContent()).not.toContain(key);
    expect(await row.textContent()).toContain('Never');
    await saveScreenshot(page, 'api-keys');

    const asKey = () =>
      fetch(`${panel.url}/api/v1/accounts/${accountId}/leads?view=inbox`, {
        headers: { authorization: `Bearer ${key}` },
      }).then((r) => r.status);
    expect(await asKey()).toBe(200);
    await page.getByRole('button', { name: 'Done, hide the key' }).click();
    expect(await shown.count()).toBe(0);

    acceptNextDialog(page);
    await page.getByRole('button', { name: 'Revoke CRM sync' }).click();
    await page.getByText('The key “CRM sync” is revoked.').waitFor();
    await row.waitFor({ state: 'detached' });
    expect(await asKey()).toBe(401);
  });

  it('removes a member from the team, and the member’s open session loses the account', async () => {
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByRole('heading', { name: 'Add someone or change a role' }).waitFor();
    // The only owner cannot be removed, so the page offers no button for them.
    expect(await page.getByRole('button', { name: `Remove ${owner.email}` }).count()).toBe(0);
    await page.getByLabel('Email').fill(member.email);
    await page.getByLabel('Name', { exact: true }).fill('Milo Member');
    await page.getByLabel('Initial password').fill(member.password);
    await page.getByLabel('Role', { exact: true }).selectOption('member');
    await page.getByRole('button', { name: 'Save member' }).click();
    await page.getByRole('cell', { name: member.email, exact: true }).waitFor();

    const memberContext = await newContext(phone);
    const memberPage = await memberContext.newPage();
    await signIn(memberPage, panel.url, member);
    // A member sees neither the team nor the API keys.
    await memberPage.getByRole('button', { name: 'Menu' }).click();
    expect(await memberPage.getByRole('link', { name: 'API keys' }).count()).toBe(0);
    expect(await memberPage.getByRole('link', { name: 'Team' }).count()).toBe(0);

    acceptNextDialog(page);
    await page.getByRole('button', { name: `Remove ${member.email}` }).click();
    await page.getByText(`${member.email} no longer has access to North Motors.`).waitFor();
    await page.getByRole('cell', { name: member.email, exact: true }).waitFor({ state: 'detached' });
    await saveScreenshot(page, 'team-after-removal');

    await memberPage.reload();
    await memberPage.getByText('Your user belongs to no account yet.').waitFor();
    const status = await memberPage.evaluate(
      (account) => fetch(`/api/v1/accounts/${account}/leads?view=inbox`).then((r) => r.status),
      accountId,
    );
    expect(status).toBe(404);
    await saveScreenshot(memberPage, 'removed-member-phone');
    await memberPage.getByRole('button', { name: 'Sign out' }).click();
    await memberPage.getByRole('heading', { name: 'Sign in to LeadGuard' }).waitFor();
    await memberContext.close();
  });

  it('offers an admin neither the owner role nor the removal of an owner', async () => {
    const admin = { email: 'ada@north-motors.test', password: 'admin passphrase 1' };
    await page.getByRole('link', { name: 'Team' }).click();
    await page.getByLabel('Email').fill(admin.email);
    await page.getByLabel('Initial password').fill(admin.password);
    await page.getByLabel('Role', { exact: true }).selectOption('admin');
    await page.getByRole('button', { name: 'Save member' }).click();
    await page.getByRole('cell', { name: admin.email, exact: true }).waitFor();

    const adminContext = await newContext();
    const adminPage = await adminContext.newPage();
    await signIn(adminPage, panel.url, admin);
    await adminPage.goto(`${panel.url}/team`);
    await adminPage.getByRole('cell', { name: owner.email, exact: true }).waitFor();
    // Only an owner hands out ownership: the API refuses anyone else, so the page does not offer it.
    const offered = await adminPage.getByLabel('Role', { exact: true }).locator('option').allTextContents();
    expect(offered.length).toBe(3);
    expect(offered.some((label) => label.startsWith('Owner'))).toBe(false);
    expect(await adminPage.getByRole('button', { name: `Remove ${owner.email}` }).count()).toBe(0);
    await saveScreenshot(adminPage, 'team-as-admin');
    await adminContext.close();
  });

  it('offers clone targets from the current account’s organization only', async () => {
    if (!db) throw new Error('the backend is not open');
    const { userId } = await page.evaluate(() =>
      fetch('/api/v1/me')
        .then((r) => r.json() as Promise<{ user: { id: string } }>)
        .then((me) => ({ userId: me.user.id })),
    );
    const south = await createOrganization({ db }, { name: 'South Group' });
    const southAccount = await createAccount(
      { db },
      { organizationId: south.id, name: 'South Motors', siteDomains: ['south-motors.test'] },
    );
    await addMembership({ db }, { userId, accountId: southAccount.id, role: 'owner' });

    await page.goto(`${panel.url}/team`);
    await page.getByLabel('Account name').fill('North Motors West');
    await page.getByLabel('Website domain').fill('west.north-motors.test');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Account North Motors West created').waitFor();
    await page.getByRole('link', { name: 'Clone rules' }).click();
    const targets = page.getByRole('group', { name: 'Copy to' });
    await targets.getByLabel('North Motors West').waitFor();
    expect(await targets.getByLabel('South Motors').count()).toBe(0);
    await saveScreenshot(page, 'clone-same-organization');

    // South Motors is alone in its organization: nothing to clone to, so no menu entry.
    await page.getByLabel('Account', { exact: true }).selectOption(southAccount.id);
    await page.getByRole('link', { name: 'Inbox' }).click();
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    expect(await page.getByRole('link', { name: 'Clone rules' }).count()).toBe(0);
    await page.getByLabel('Account', { exact: true }).selectOption(accountId);
  });

  it('changes the password at phone width by keyboard, and signs out the owner’s other session', async () => {
    const laptop = await newContext();
    const other = await laptop.newPage();
    await signIn(other, panel.url, owner);

    const phoneContext = await newContext(phone);
    const mobile = await phoneContext.newPage();
    await signIn(mobile, panel.url, owner);
    await mobile.getByRole('button', { name: 'Menu' }).focus();
    await mobile.keyboard.press('Enter');
    await mobile.getByRole('link', { name: 'Your account' }).focus();
    await mobile.keyboard.press('Enter');
    await mobile.getByRole('heading', { name: 'Your account' }).waitFor();
    expect(await mobile.locator('.facts').textContent()).toContain('North Motor Group');

    const newPassword = 'second owner passphrase';
    await mobile.getByLabel('Current password').fill('not the password at all');
    await mobile.getByLabel('New password', { exact: true }).fill(newPassword);
    await mobile.getByLabel('New password again').fill(newPassword);
    await mobile.getByLabel('New password again').press('Enter');
    await expect.poll(() => mobile.getByRole('alert').textContent()).toContain('current password is wrong');

    await mobile.getByLabel('Current password').fill(owner.password);
    await mobile.getByLabel('New password', { exact: true }).fill(newPassword);
    await mobile.getByLabel('New password again').fill(newPassword);
    await mobile.getByRole('button', { name: 'Change password' }).click();
    await mobile.getByText('Password changed. Your other sessions are signed out.').waitFor();
    await saveScreenshot(mobile, 'account-phone');

    // This session goes on (its CSRF token renewed): a state change still works.
    await mobile.getByRole('button', { name: 'Menu' }).click();
    await mobile.getByRole('link', { name: 'Keywords' }).click();
    await mobile.getByLabel('Phrase').fill('casino bonus');
    await mobile.getByRole('button', { name: 'Add keyword' }).click();
    await mobile.getByText('Keyword added.').waitFor();

    // The other session is gone: its next request shows the login.
    await other.getByRole('link', { name: 'Reports' }).click();
    await other.getByRole('heading', { name: 'Sign in to LeadGuard' }).waitFor();
    await other.getByLabel('Email').fill(owner.email);
    await other.getByLabel('Password').fill(owner.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => other.getByRole('alert').textContent()).toContain('wrong');
    await other.getByLabel('Password').fill(newPassword);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Reports' }).waitFor();
    await laptop.close();
    await phoneContext.close();
    expect(pageErrors).toEqual([]);
  });
});
