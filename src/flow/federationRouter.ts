import Router from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Users } from '../directory/Users.js';
import type { User } from '../directory/User.js';
import { PHR_REQUIRED } from './PHR_REQUIRED.js';
import { loadInteraction, requiresPhr } from './loadInteraction.js';
import type { Details, LoginCompleter } from './LoginCompleter.js';
import { renderView } from '../http/renderView.js';
import type { AuditLog } from '../audit/AuditLog.js';
import { recordSignInOutcome } from './recordSignInOutcome.js';
import { showAccountDisabled } from './showAccountDisabled.js';
import type { AuthMethod } from '../methods/AuthMethod.js';
import { UPSTREAM_UNREACHABLE } from '../methods/federation/FederationMethod.js';
import type { FederationService, UpstreamFailureReason } from '../methods/federation/FederationService.js';
import { msg } from '../i18n/msg.js';
import type { MessageRef } from '../i18n/MessageRef.js';

export interface FederationRouterDeps {
  provider: Provider;
  directory: Users;
  federation: FederationService;
  completer: LoginCompleter;
  /** The flow's methods: the ones a user has are offered when the upstream fails them. */
  methods: AuthMethod[];
  /** Every outcome of a return from upstream is a sign-in record, as for the other methods. */
  audit: AuditLog;
}

const STALE = {
  heading: msg('federation.stale.heading'),
  message: msg('federation.stale.message'),
};

const FAILURES: Record<UpstreamFailureReason, { heading: MessageRef; message: MessageRef; status: number }> = {
  unreachable: { heading: msg('federation.unreachable.heading'), message: UPSTREAM_UNREACHABLE, status: 502 },
  refused: {
    heading: msg('federation.refused.heading'),
    message: msg('federation.refused.message'),
    status: 403,
  },
  invalid: {
    heading: msg('federation.invalid.heading'),
    message: msg('federation.invalid.message'),
    status: 400,
  },
  noClaim: {
    heading: msg('federation.noClaim.heading'),
    message: msg('federation.noClaim.message'),
    status: 400,
  },
};

/**
 * The upstream provider's way back. It redirects to `/federation/callback` (the one URI registered upstream),
 * which cannot see the interaction cookie (oidc-provider scopes it to `/interaction/<uid>`); the callback finds
 * the interaction by `state` and sends the browser on to `/interaction/<uid>/federation/return`, where the sign-in
 * is checked and finished. Every failure ends on a page, with nothing signed in.
 */
export function federationRouter(deps: FederationRouterDeps): Router {
  const { provider, directory, federation, completer } = deps;
  const router = new Router();

  async function alternatives(uid: string, user: User | undefined): Promise<Record<string, string>> {
    const links: Record<string, string> = {};
    if (!user) return links;
    for (const m of deps.methods) {
      if (m.name !== 'federation' && (await m.isAvailable(user))) {
        links[m.name] = `/interaction/${uid}/method/${m.name}?username=${encodeURIComponent(user.userPrincipalName)}`;
      }
    }
    return links;
  }

  async function failure(ctx: Context, d: Details, username: string, page: { heading: MessageRef; message: MessageRef; status: number }, retry = false) {
    const user = username ? await directory.findByUpn(username) : undefined;
    const base = `/interaction/${d.uid}`;
    await renderView(
      ctx,
      'federation-error',
      {
        title: msg('federation.failed.title'),
        heading: page.heading,
        message: page.message,
        username,
        clientName: null,
        retryHref: retry ? `${base}/method/federation?username=${encodeURIComponent(username)}` : null,
        alternatives: await alternatives(d.uid, user),
        backHref: base,
      },
      page.status,
    );
  }

  router.get('/federation/callback', async (ctx) => {
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const pending = state ? await federation.peek(state) : undefined;
    if (!pending) {
      await renderView(ctx, 'message', { title: msg('federation.failed.title'), ...STALE, link: null }, 400);
      return;
    }
    ctx.status = 303;
    ctx.redirect(`/interaction/${encodeURIComponent(pending.interactionId)}/federation/return?${ctx.querystring}`);
  });

  /** The sign-ins log entry of this return: `reason` for a refusal, none for a success. */
  async function record(ctx: Context, d: Details, username: string, user: User | undefined, reason?: string) {
    const result = reason === undefined && user
      ? { ok: true as const, accountId: user.id, amr: ['fed'], acr: '' }
      : { ok: false as const, error: msg('federation.failed.title'), reason: reason ?? 'UnknownUser' };
    await recordSignInOutcome(deps.audit, directory, { method: 'federation', username, user, result, clientId: d.params.client_id, ip: ctx.ip });
  }

  router.get('/interaction/:uid/federation/return', async (ctx) => {
    const d = await loadInteraction(provider, ctx);
    if (!d) return;
    const state = typeof ctx.query.state === 'string' ? ctx.query.state : '';
    const outcome = await federation.complete(d.uid, state, new URLSearchParams(ctx.querystring));
    if (!outcome.ok) {
      if (outcome.reason === 'state') return failure(ctx, d, '', { ...STALE, status: 400 });
      const typed = outcome.state.username;
      await record(ctx, d, typed, await directory.findByUpn(typed), `Upstream${outcome.reason.charAt(0).toUpperCase()}${outcome.reason.slice(1)}`);
      return failure(ctx, d, typed, FAILURES[outcome.reason], outcome.reason === 'unreachable');
    }
    const { username } = outcome.state;
    // The upstream of a domain vouches only for the user who was sent to it, so also only for its own domain.
    if (outcome.upn.toLowerCase() !== username.toLowerCase()) {
      await record(ctx, d, username, await directory.findByUpn(username), 'UpstreamUserMismatch');
      return failure(ctx, d, username, {
        heading: msg('federation.mismatch.heading'),
        message: msg('federation.mismatch.message', { upn: outcome.upn, username }),
        status: 403,
      });
    }
    const user = await directory.findByUpn(username);
    if (!user) {
      await record(ctx, d, username, undefined, 'UnknownUser');
      return failure(ctx, d, username, {
        heading: msg('federation.noAccount.heading'),
        message: msg('federation.noAccount.message', { upn: outcome.upn }),
        status: 403,
      });
    }
    // Not reachable through the flow (federation is not offered then); a forged detour must not reach a session.
    if (requiresPhr(d) && outcome.acr !== 'phr') return failure(ctx, d, username, { heading: msg('federation.phr.heading'), message: PHR_REQUIRED, status: 403 });
    if (user.accountEnabled === false) {
      await record(ctx, d, username, user, 'UserDisabled');
      return showAccountDisabled(ctx, d);
    }
    await record(ctx, d, username, user);
    await completer.login(ctx, d, { ok: true, accountId: user.id, amr: outcome.amr, acr: outcome.acr });
  });

  return router;
}
