import { formAction, type Browser } from './Browser.js';

/**
 * From the identifier page a client's authorization request led to: the username, the TAP, then "Skip for now"
 * (no authenticator here), and, when the browser was signed in as someone else, the form by which oidc-provider
 * ends that session first. Returns the URL the flow ends at (the client's callback when it succeeded).
 */
export async function signInWithTapFrom(browser: Browser, page: { html: string; url: string }, upn: string, passcode: string): Promise<string> {
  const step = await browser.submit(formAction(page.html, page.url), { username: upn });
  let done = await browser.submit(formAction(step.html, step.url), { username: upn, tap: passcode });
  const skip = /action="([^"]+\/register\/skip)"/.exec(done.html)?.[1];
  if (skip) done = await browser.submit(new URL(skip, done.url).href, {});
  const xsrf = /name="xsrf" value="([^"]+)"/.exec(done.html)?.[1];
  if (xsrf) done = await browser.submit(formAction(done.html, done.url), { xsrf, logout: 'yes' });
  return done.url;
}
