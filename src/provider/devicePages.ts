import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderView } from '../http/renderView.js';

/** The action and one-time xsrf value of oidc-provider's own user-code form (our page posts them back). */
function formParts(form: string): { action: string; xsrf: string } {
  return {
    action: /action="([^"]*)"/.exec(form)?.[1] ?? '/device',
    xsrf: /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '',
  };
}

/** What the person is told about a code that did not lead to a sign-in; oidc-provider's wording names no reason to trust. */
function errorText(err: Error | undefined): string | null {
  if (!err) return null;
  switch (err.name) {
    case 'NoCodeError':
      return 'Enter the code your device shows.';
    case 'NotFoundError':
      return 'That code is not right. Check the code your device shows and try again.';
    case 'ExpiredError':
      return 'That code has expired. Start again on your device to get a new one.';
    case 'AlreadyUsedError':
      return 'That code has been used already. Start again on your device to get a new one.';
    case 'AbortedError':
      return 'The sign-in on your device was cancelled. Start again on your device if you want to sign in.';
    default:
      return 'The sign-in on your device could not continue. Start again on your device.';
  }
}

/**
 * The device verification page (oidc-provider's `userCodeInputSource`), in the product's look and under its CSP:
 * a `Code` field and `Continue`. The form sends `confirm=yes` itself: the person confirms the app by name after
 * signing in (the consent page), so oidc-provider's own confirmation before the sign-in is not needed.
 */
export async function userCodeInputSource(ctx: KoaContextWithOIDC, form: string, _out?: unknown, err?: Error): Promise<void> {
  const userCode = (err as { userCode?: unknown } | undefined)?.userCode;
  await renderView(
    ctx,
    'device-code',
    { title: 'Sign in on your device', ...formParts(form), userCode: typeof userCode === 'string' ? userCode : '', error: errorText(err), clientName: null },
    // A wrong code is a bad request; a first visit is not.
    err ? 400 : 200,
  );
}

/**
 * Reached when a code is posted without `confirm`: by the complete verification URI (a link or QR code), which
 * oidc-provider posts for the person. The same page again, with the code filled in and the app named.
 */
export async function userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, client: { clientName?: string | undefined; clientId: string }, _deviceInfo: unknown, userCode: string): Promise<void> {
  await renderView(ctx, 'device-code', {
    title: 'Sign in on your device',
    ...formParts(form),
    userCode,
    error: null,
    clientName: client.clientName ?? client.clientId,
  });
}

/** After the person allowed the device's app: nothing more to do here. */
export async function deviceSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  await renderView(ctx, 'message', {
    title: 'Sign in on your device',
    heading: 'You are signed in on your device',
    message: `${client ? `${client} is now signed in. ` : ''}You can return to your device and close this window.`,
    link: null,
  });
}
