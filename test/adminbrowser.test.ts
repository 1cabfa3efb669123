import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser as Chromium, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPage } from './support/auditPage.js';
import { launchChromium } from './support/chromium.js';
import { useDeployment } from './support/deployment.js';
import { signInWithTapInPage } from './support/signInWithTapInPage.js';
import { testConfig, type TestServer } from './support/testServer.js';

const PASSWORD = 'console password 0123456789';
const PEOPLE = [
  { upn: 'helpdesk@contoso.com', displayName: 'Hana Helpdesk', roles: ['AuthenticationAdministrator'] },
  { upn: 'privileged@contoso.com', displayName: 'Priya Privileged', roles: ['PrivilegedAuthenticationAdministrator'] },
  { upn: 'global@contoso.com', displayName: 'Gus Global', roles: ['GlobalAdministrator'] },
  { upn: 'reader@contoso.com', displayName: 'Rita Reader', roles: ['GlobalReader'] },
  { upn: 'boss@contoso.com', displayName: 'Bea Boss', roles: ['AuthenticationPolicyAdministrator'] },
  { upn: 'member@contoso.com', displayName: 'Milo Member', roles: [] },
  { upn: 'newhire@contoso.com', displayName: 'Nina Newhire', roles: [], password: false },
];

/** Where the console's screenshots go (git-ignored). */
const SHOTS = path.resolve('var/screenshots/admin');

let server: TestServer;
let chromium: Chromium;

// WebAuthn and the clipboard need a secure context: http://localhost is one.
useDeployment(
  {
    host: 'localhost',
    config: () => testConfig({ users: PEOPLE.map((p) => ({ userPrincipalName: p.upn, displayName: p.displayName, roles: p.roles, ...(p.password === false ? {} : { password: PASSWORD }) })) }),
  },
  (d) => ({ server } = d),
);
beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  chromium = await launchChromium();
});
afterAll(async () => {
  await chromium?.close();
});

/** A fresh browser signed in to the console as `upn`, on `path`. */
async function consoleAs(upn: string, path = '/admin/users'): Promise<Page> {
  const context = await chromium.newContext();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
  const page = await context.newPage();
  page.setDefaultTimeout(8000);
  await page.goto(`${server.url}${path}`);
  await page.getByLabel('Email or username').fill(upn);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.waitForURL((u) => u.pathname.startsWith('/admin'));
  return page;
}

/**
 * axe-core on the page, light and dark, desktop and phone, as the sign-in pages' harness checks them
 * (support/auditPage): no serious or critical violation. Photographed into var/screenshots/admin/.
 */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const { failing } = await auditPage(page, name, SHOTS);
  expect(failing, name).toEqual([]);
}

/** Press Tab until the focused element is the one named `name` (keyboard only), then return. */
async function tabTo(page: Page, name: string): Promise<void> {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el) return '';
      const label = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
      return (label ?? el.getAttribute('aria-label') ?? el.textContent ?? '').trim();
    });
    if (focused === name) return;
  }
  throw new Error(`could not reach "${name}" with Tab`);
}

describe('the admin console in a browser', () => {
  it('a help-desk agent finds a member by keyboard, issues a TAP, copies it, and the member signs in with it', async () => {
    const page = await consoleAs('helpdesk@contoso.com');
    await expectAccessible(page, 'users');
    // By keyboard alone: search as one types, open the user, open the form, issue.
    await tabTo(page, 'Search users');
    await page.keyboard.type('newhire');
    await page.getByRole('link', { name: 'Nina Newhire' }).waitFor();
    await expect.poll(() => page.getByRole('link', { name: 'Milo Member' }).count()).toBe(0);
    await tabTo(page, 'Nina Newhire');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Nina Newhire', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Authentication methods' }).waitFor();
    await expectAccessible(page, 'user');
    await tabTo(page, 'Issue a Temporary Access Pass');
    await page.keyboard.press('Enter');
    await page.getByLabel('Lifetime in minutes').waitFor();
    await expectAccessible(page, 'issue-form');
    await tabTo(page, 'Lifetime in minutes');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('60');
    await tabTo(page, 'Issue');
    await page.keyboard.press('Enter');
    const shown = page.getByLabel('Temporary Access Pass');
    await shown.waitFor();
    const passcode = (await shown.textContent())!.trim();
    expect(passcode).toMatch(/^\S{8,}$/);
    await page.getByRole('button', { name: 'Copy' }).click();
    await page.getByText('Copied to the clipboard.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toBe(passcode);
    await expectAccessible(page, 'issued');
    // Never again: the user's page does not show it.
    await page.getByRole('link', { name: 'Back to Nina Newhire' }).click();
    expect(await page.content()).not.toContain(passcode);

    const member = await (await chromium.newContext()).newPage();
    member.setDefaultTimeout(8000);
    await member.goto(`${server.url}/account/security-info`);
    await signInWithTapInPage(member, 'newhire@contoso.com', copied);
    await page.context().close();
    await member.context().close();
  });

  it('the same agent is refused for an administrator', async () => {
    const page = await consoleAs('helpdesk@contoso.com', '/admin/users?q=global');
    await page.getByRole('link', { name: 'Gus Global' }).click();
    await page.getByRole('heading', { name: 'Gus Global', level: 1 }).waitFor();
    expect(await page.getByRole('button', { name: 'Issue a Temporary Access Pass' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Revoke sessions' }).count()).toBe(0);
    await page.getByText('An Authentication Administrator cannot manage the authentication methods of an administrator.').first().waitFor();
    const url = page.url();
    await page.goto(`${url}/issue`);
    await page.getByRole('heading', { name: 'Your role does not allow this' }).waitFor();
    await expectAccessible(page, 'refused-action');
    await page.context().close();
  });

  it('a Privileged Authentication Administrator\'s TAP for an administrator stays pending until a second administrator approves it', async () => {
    const requester = await consoleAs('privileged@contoso.com', '/admin/users?q=boss');
    await requester.getByRole('link', { name: 'Bea Boss' }).click();
    await requester.getByRole('button', { name: 'Issue a Temporary Access Pass' }).click();
    await requester.getByText('will wait for a second administrator').waitFor();
    await requester.getByRole('button', { name: 'Issue', exact: true }).click();
    const passcode = (await requester.getByLabel('Temporary Access Pass').textContent())!.trim();
    await requester.getByText('cannot sign in until a second administrator approves it').waitFor();
    await requester.getByRole('link', { name: 'Back to Bea Boss' }).click();
    await requester.getByText("Not usable yet: waiting for a second administrator's approval").waitFor();
    expect(await requester.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await expectAccessible(requester, 'pending');

    // Pending: the holder is refused, told why.
    const holder = await (await chromium.newContext()).newPage();
    holder.setDefaultTimeout(8000);
    await holder.goto(`${server.url}/account/security-info`);
    await holder.getByLabel('Email or username').fill('boss@contoso.com');
    await holder.getByRole('button', { name: 'Next' }).click();
    await holder.getByLabel('Temporary Access Pass').fill(passcode);
    await holder.getByRole('button', { name: 'Sign in', exact: true }).click();
    await holder.getByText("waiting for a second administrator's approval").waitFor();

    const approver = await consoleAs('global@contoso.com', new URL(requester.url()).pathname);
    await approver.getByRole('button', { name: 'Approve' }).click();
    await approver.getByText('it can now sign in').waitFor();
    await approver.getByText('Usable', { exact: true }).waitFor();

    await holder.getByLabel('Temporary Access Pass').fill(passcode);
    await holder.getByRole('button', { name: 'Sign in', exact: true }).click();
    await holder.getByRole('heading', { name: 'Register a passkey' }).waitFor();
    for (const p of [requester, approver, holder]) await p.context().close();
  });

  it('a Global Reader sees but cannot change', async () => {
    const page = await consoleAs('reader@contoso.com', '/admin/users?q=member');
    await page.getByRole('link', { name: 'Milo Member' }).click();
    await page.getByRole('heading', { name: 'Authentication methods' }).waitFor();
    await page.getByText('Your role lets you see this user but not change anything.').waitFor();
    expect(await page.getByRole('button').count()).toBe(0);
    // The logs and the policy, read-only for a reader, and accessible like every console page.
    await page.getByRole('link', { name: 'Audit log' }).click();
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    await expectAccessible(page, 'audit-log');
    await page.getByRole('link', { name: 'Sign-in log' }).click();
    await page.getByLabel('Result').selectOption('failure');
    await page.getByRole('button', { name: 'Filter' }).click();
    await page.waitForURL((u) => u.searchParams.get('result') === 'failure');
    await expectAccessible(page, 'sign-in-log');
    await page.getByRole('link', { name: 'TAP policy' }).click();
    await page.getByText('Your role lets you see the policy but not change it.').waitFor();
    expect(await page.getByLabel('Minimum lifetime in minutes').isDisabled()).toBe(true);
    await expectAccessible(page, 'policy');
    await page.context().close();
  });

  it('a Global Administrator\'s HR pages: create, edit, and the delete confirmation, by keyboard and accessible', async () => {
    const page = await consoleAs('global@contoso.com');
    await tabTo(page, 'Create a user');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Create a user' }).waitFor();
    await expectAccessible(page, 'user-create');
    await page.getByLabel('User principal name').fill('hire@contoso.com');
    await page.getByLabel('Display name').fill('Hal Hire');
    await page.getByRole('button', { name: 'Create user' }).click();
    await page.getByText('The user was created.').waitFor();
    await page.getByRole('link', { name: 'Edit user' }).click();
    await expectAccessible(page, 'user-edit');
    await page.getByRole('link', { name: 'Delete this user' }).click();
    await page.getByText('ends every sign-in session, grant and token of theirs').waitFor();
    await expectAccessible(page, 'user-delete');
    await page.getByRole('button', { name: 'Delete user' }).click();
    await page.getByText('The user was deleted').waitFor();
    await page.context().close();
  });

  it('a member is refused with a clear page', async () => {
    const page = await consoleAs('member@contoso.com', '/admin');
    await page.getByRole('heading', { name: "You don't have access to the admin console" }).waitFor();
    await expectAccessible(page, 'refused');
    await page.context().close();
  });
});
