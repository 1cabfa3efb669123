import { formOptions } from './formOptions.js';
import type { CreationOptions, SoftAuthenticator } from './SoftAuthenticator.ts';
import type { stopAtRegistration } from './stopAtRegistration.js';

/** POST a passkey made on the registration page, as the browser's script would. */
export async function registerOn(s: Awaited<ReturnType<typeof stopAtRegistration>>, authenticator: SoftAuthenticator) {
  const created = authenticator.create(formOptions<CreationOptions>(s.reg.html, 'register-form'));
  const page = await s.browser.submit(s.registerUrl, { response: created.response });
  return { page, credential: created.credential };
}
