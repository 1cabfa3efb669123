import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalogue } from '../src/i18n/Catalogue.js';
import { LOCALES_DIR } from '../src/i18n/LOCALES_DIR.js';
import { Browser, formAction } from './support/Browser.js';
import { useDeployment } from './support/deployment.js';
import { freshUser } from './support/freshUser.js';
import { issueTap } from './support/issueTap.js';
import { seedPasskey } from './support/passkeyRecord.js';
import { testConfig, type TestServer } from './support/testServer.js';

const PASSWORD = 'console password 0123456789';
const ADMIN = 'global@contoso.com';

let server: TestServer;
useDeployment(
  { config: () => testConfig({ users: [{ userPrincipalName: ADMIN, displayName: 'Gus Global', password: PASSWORD, roles: ['GlobalAdministrator'] }] }) },
  (d) => ({ server } = d),
);

const catalogue = Catalogue.load();
/** A shipped language file as it is (the catalogue would fill a missing message from English). */
const shipped = (locale: string) => JSON.parse(readFileSync(path.join(LOCALES_DIR, `${locale}.json`), 'utf8')) as Record<string, string>;
const english = shipped('en');
/** The console's whole sentences (no values), which a page in another language must not show in English. */
const sentences = Object.entries(english).filter(([id, text]) => id.startsWith('admin.') && !text.includes('{') && text.includes(' ') && text.length >= 12);

/**
 * The console speaks the shipped languages, as the sign-in pages do: the catalogue test holds each language to
 * English's ids, and the pseudo-locale test (admin.test.ts) every console word to the catalogue; this one follows a
 * German, French, Spanish and Japanese administrator through the console's pages, none of them falling back to English.
 */
describe('the admin console in German, French, Spanish and Japanese', () => {
  it.each(['de', 'fr', 'es', 'ja'])('speaks %s on every page, none of its sentences left in English', async (locale) => {
    const t = catalogue.translator(locale);
    const theirs = shipped(locale);
    const target = await freshUser(server, `lang-${locale}`);
    await issueTap(server, target, { lifetimeInMinutes: 60 });
    await seedPasskey(server.redis, target.id, 'Desk key');

    const b = new Browser({ 'accept-language': locale });
    const first = await b.follow(`${server.url}/admin/users?q=${target.userPrincipalName}`);
    const step = await b.submit(formAction(first.html, first.url), { username: ADMIN });
    const users = await b.submit(formAction(step.html, step.url), { username: ADMIN, password: PASSWORD });
    const pages = {
      users,
      user: await b.follow(`${server.url}/admin/users/${target.id}`),
      issue: await b.follow(`${server.url}/admin/users/${target.id}/issue`),
      delete: await b.follow(`${server.url}/admin/users/${target.id}/delete`),
      policy: await b.follow(`${server.url}/admin/policy`),
      audit: await b.follow(`${server.url}/admin/audit`),
      signIns: await b.follow(`${server.url}/admin/sign-ins`),
    };
    const headings: Record<keyof typeof pages, string> = {
      users: 'admin.users.heading',
      user: 'admin.methods.heading',
      issue: 'admin.issue.heading',
      delete: 'admin.delete.warning',
      policy: 'admin.policy.heading',
      audit: 'admin.audit.title',
      signIns: 'admin.signIns.title',
    };
    for (const [name, page] of Object.entries(pages) as [keyof typeof pages, { res: Response; html: string }][]) {
      expect(page.res.status, name).toBe(200);
      expect(page.html, name).toContain(`lang="${locale}"`);
      expect(theirs[headings[name]], name).toBeDefined();
      expect(page.html, name).toContain(t.html(headings[name]));
      expect(page.html, name).toContain(t.html('admin.nav.label'));
      // The logs' rows and activity filter show Graph's values (activityDisplayName, the methods used), in English as
      // Entra's own logs do: data, not the console's words.
      const words = page.html.replace(/<option value="[^"]+"[^>]*>[^<]*<\/option>/g, '').replace(/<tbody>[\s\S]*?<\/tbody>/g, '');
      const leftovers = sentences.filter(([id, text]) => theirs[id] !== text && words.includes(text)).map(([id]) => id);
      expect({ name, leftovers }).toEqual({ name, leftovers: [] });
    }
  });
});
