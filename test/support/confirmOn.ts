import { formOptions } from './formOptions.js';
import type { RequestOptions, SoftAuthenticator, SoftCredential } from './SoftAuthenticator.ts';
import type { stopAtRegistration } from './stopAtRegistration.js';

/** Sign in with the passkey just registered on the confirmation page, as the browser's script would. */
export async function confirmOn(s: Awaited<ReturnType<typeof stopAtRegistration>>, authenticator: SoftAuthenticator, credential: SoftCredential, confirmPage: { html: string }) {
  const assertion = authenticator.get(formOptions<RequestOptions>(confirmPage.html, 'passkey-form'), credential);
  return s.browser.submit(`${s.base}/confirm`, { response: assertion }, new URL(s.base).origin);
}
