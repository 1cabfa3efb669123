import { requiresPhr } from './loadInteraction.js';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Users } from '../directory/Users.js';
import type { User } from '../directory/User.js';
import { renderView } from '../http/renderView.js';
import type { IdentifierView } from '../http/views/IdentifierView.js';
import type { AuthMethod, StepContext } from '../methods/AuthMethod.js';
import { clientName } from './loadInteraction.js';
import type { Details } from './LoginCompleter.js';
import type { MethodChooser } from './MethodChooser.js';
import type { MessageRef } from '../i18n/MessageRef.js';
import { msg } from '../i18n/msg.js';

/** The pages of the sign-in flow: the identifier, a method's step (rendered by the method), and consent. */
export class SignInPages {
  constructor(
    private readonly provider: Provider,
    private readonly directory: Users,
    private readonly chooser: MethodChooser,
  ) {}

  async showIdentifier(ctx: Context, d: Details, username = '', error?: MessageRef, status = 400): Promise<void> {
    let extras: Partial<IdentifierView> = {};
    for (const m of this.chooser.methods) {
      if (m.identifierExtras) extras = { ...extras, ...(await m.identifierExtras(d.uid, `/interaction/${d.uid}/method/${m.name}`)) };
    }
    await renderView(
      ctx,
      'identifier',
      {
        title: msg('identifier.title'),
        action: `/interaction/${d.uid}/identifier`,
        username,
        error: error ?? null,
        clientName: await clientName(this.provider, d),
        passkeyAction: null,
        passkeyOptions: null,
        ...extras,
      },
      error ? status : 200,
    );
  }

  async showMethod(ctx: Context, d: Details, method: AuthMethod, username: string, user: User | undefined, error?: MessageRef, status = 200): Promise<void> {
    const step = await method.render(await this.stepContext(d, method.name, username, user), error);
    // A wait already sent as Retry-After is counted down on the page (public/app.js).
    const retryAfter = Number(ctx.response.get('Retry-After')) || undefined;
    // A step that happens elsewhere (an upstream provider): 303, so that a POSTed identifier becomes a GET there.
    if ('redirect' in step) {
      // A rate-limited post must not set off the redirect: it stays here and says why.
      if (status === 429) return this.showIdentifier(ctx, d, username, error, status);
      ctx.status = 303;
      return ctx.redirect(step.redirect);
    }
    // Under acr_values=phr the passkey step says what a person without one can do (to everyone: it tells nothing).
    await renderView(ctx, step.view, { ...step.locals, retryAfterSeconds: error ? retryAfter : undefined, phrRequired: requiresPhr(d) }, error ? status : (step.status ?? 200));
  }

  /** The consent page: the application and each admin API permission it asks for, in words. */
  async showConsent(ctx: Context, d: Details, pending: string[]): Promise<void> {
    const user = await this.directory.findById(d.session!.accountId);
    await renderView(ctx, 'consent', {
      title: d.deviceCode ? msg('device.title') : msg('consent.title'),
      username: user?.userPrincipalName ?? '',
      clientName: await clientName(this.provider, d),
      action: `/interaction/${d.uid}/consent`,
      permissions: pending.map((name) => ({ name, words: msg(`permission.${name}`) })),
      device: Boolean(d.deviceCode),
    });
  }

  private async stepContext(d: Details, method: string, username: string, user: User | undefined): Promise<StepContext> {
    const base = `/interaction/${d.uid}`;
    const alternatives: Record<string, string> = {};
    const { methods } = this.chooser;
    // Asked for an unknown name too (each method then reads as for nobody), so that it costs what a known one
    // does; an unknown name is offered no alternatives.
    const usable = await Promise.all(methods.map((m) => m.name !== method && this.chooser.allowed(d, m) && m.isAvailable(user, username)));
    methods.forEach((m, i) => {
      if (usable[i] && user) alternatives[m.name] = `${base}/method/${m.name}?username=${encodeURIComponent(username)}`;
    });
    return {
      interactionId: d.uid,
      action: `${base}/method/${method}`,
      user,
      username,
      alternatives,
      backHref: base,
      clientName: await clientName(this.provider, d),
    };
  }
}
