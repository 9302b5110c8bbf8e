// Signs a page in through the panel's login form, as a person would, and waits for the inbox.
import type { Page } from 'playwright-core';

export async function signIn(
  target: Page,
  panelUrl: string,
  who: { readonly email: string; readonly password: string },
): Promise<void> {
  await target.goto(`${panelUrl}/inbox`);
  await target.getByLabel('Email').fill(who.email);
  await target.getByLabel('Password').fill(who.password);
  await target.getByRole('button', { name: 'Sign in' }).click();
  await target.getByRole('heading', { name: 'Inbox' }).waitFor();
}
