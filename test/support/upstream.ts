import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { type JWK } from 'oidc-provider';

export const UPSTREAM_CLIENT_ID = 'oidc-tap';
export const UPSTREAM_CLIENT_SECRET = 'upstream-secret-0123456789';

/** Who the upstream signs in, and how; tests change it between sign-ins. */
export interface UpstreamAccount {
  /** The account id, also its `email` claim. */
  email: string;
  amr: string[];
  acr?: string;
  emailVerified?: boolean;
}

/**
 * A second oidc-provider in the test process, on loopback, standing in for a federated domain's provider. It has
 * no pages: its interaction route signs `account` in at once (login and consent), so runs are deterministic.
 */
export interface Upstream {
  /** Its issuer (and origin). */
  url: string;
  /** Every HTTP request that reached it. */
  requests: number;
  /** Their paths, in order. */
  paths: string[];
  account: UpstreamAccount;
  /** Start answering, with our callback registered for the client; until then every request is a 503. */
  start(redirectUri: string): Promise<void>;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<Upstream> {
  let provider: Provider | undefined;
  let handler: ReturnType<Provider['callback']> | undefined;
  const server = http.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const upstream: Upstream = {
    url,
    requests: 0,
    paths: [],
    account: { email: 'fed@fabrikam.test', amr: ['pwd', 'mfa'] },
    async start(redirectUri) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      provider = new Provider(url, {
        clients: [
          {
            client_id: UPSTREAM_CLIENT_ID,
            client_secret: UPSTREAM_CLIENT_SECRET,
            redirect_uris: [redirectUri],
            grant_types: ['authorization_code'],
            response_types: ['code'],
          },
        ],
        jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'upstream', alg: 'RS256', use: 'sig' } as JWK] },
        cookies: { keys: ['upstream-cookie-key-0123456789'] },
        claims: { acr: null, amr: null, auth_time: null, openid: ['sub', 'acr', 'amr', 'auth_time'], email: ['email', 'email_verified'] },
        features: { devInteractions: { enabled: false } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        findAccount: (_ctx, sub) => ({
          accountId: sub,
          claims: () => ({ sub, email: sub, email_verified: upstream.account.emailVerified ?? true }),
        }),
      });
      handler = provider.callback();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    upstream.requests++;
    upstream.paths.push(new URL(req.url ?? '/', url).pathname);
    if (!provider || !handler) {
      res.statusCode = 503;
      res.end();
      return;
    }
    const p = provider;
    if (!req.url?.startsWith('/interaction/')) return void handler(req, res);
    void (async () => {
      const d = await p.interactionDetails(req, res);
      const { email, amr, acr } = upstream.account;
      const grant = new p.Grant({ accountId: email, clientId: String(d.params.client_id) });
      grant.addOIDCScope(String(d.params.scope));
      const grantId = await grant.save();
      await p.interactionFinished(req, res, { login: { accountId: email, amr, ...(acr ? { acr } : {}) }, consent: { grantId } }, { mergeWithLastSubmission: false });
    })().catch((e: unknown) => {
      res.statusCode = 500;
      res.end(String(e));
    });
  });
  return upstream;
}
