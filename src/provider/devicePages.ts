import type { KoaContextWithOIDC } from 'oidc-provider';
import { renderView } from '../http/renderView.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { useUiLocales } from '../http/useUiLocales.js';

/** Once the code names the device's request, its pages speak the `ui_locales` the device asked for. */
function speakDeviceLanguage(ctx: KoaContextWithOIDC): void {
  useUiLocales(ctx, (ctx.oidc.entities.DeviceCode as { params?: { ui_locales?: unknown } } | undefined)?.params?.ui_locales);
}

/** The action and one-time xsrf value of oidc-provider's own user-code form (our page posts them back). */
function formParts(form: string): { action: string; xsrf: string } {
  return {
    action: /action="([^"]*)"/.exec(form)?.[1] ?? '/device',
    xsrf: /name="xsrf" value="([^"]*)"/.exec(form)?.[1] ?? '',
  };
}

/** What the person is told about a code that did not lead to a sign-in; oidc-provider's wording names no reason to trust. */
function errorText(err: Error | undefined): MessageRef | null {
  if (!err) return null;
  switch (err.name) {
    case 'NoCodeError':
      return msg('device.error.noCode');
    case 'NotFoundError':
      return msg('device.error.notFound');
    case 'ExpiredError':
      return msg('device.error.expired');
    case 'AlreadyUsedError':
      return msg('device.error.used');
    case 'AbortedError':
      return msg('device.error.aborted');
    default:
      return msg('device.error.other');
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
    { title: msg('device.title'), ...formParts(form), userCode: typeof userCode === 'string' ? userCode : '', error: errorText(err), clientName: null },
    // A wrong code is a bad request; a first visit is not.
    err ? 400 : 200,
  );
}

/**
 * Reached when a code is posted without `confirm`: by the complete verification URI (a link or QR code), which
 * oidc-provider posts for the person. The same page again, with the code filled in and the app named.
 */
export async function userCodeConfirmSource(ctx: KoaContextWithOIDC, form: string, client: { clientName?: string | undefined; clientId: string }, _deviceInfo: unknown, userCode: string): Promise<void> {
  speakDeviceLanguage(ctx);
  await renderView(ctx, 'device-code', {
    title: msg('device.title'),
    ...formParts(form),
    userCode,
    error: null,
    clientName: client.clientName ?? client.clientId,
  });
}

/** After the person allowed the device's app: nothing more to do here. */
export async function deviceSuccessSource(ctx: KoaContextWithOIDC): Promise<void> {
  speakDeviceLanguage(ctx);
  const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  await renderView(ctx, 'message', {
    title: msg('device.title'),
    heading: msg('device.done.heading'),
    message: client ? msg('device.done.messageClient', { client }) : msg('device.done.message'),
    link: null,
  });
}
