import type { Page } from 'playwright-core';

/** In a real browser on the identifier page: the identifier and TAP steps, up to the "Register a passkey" page. */
export async function signInWithTapInPage(page: Page, upn: string, passcode: string): Promise<void> {
  await page.getByLabel('Email or username').fill(upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Temporary Access Pass').fill(passcode);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('heading', { name: 'Register a passkey' }).waitFor();
}
