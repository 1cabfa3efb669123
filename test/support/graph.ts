import * as client from 'openid-client';

/** An application's access token for the admin API, by client credentials. */
export async function appToken(issuer: string, clientId: string, secret: string, scope: string): Promise<string> {
  const config = await client.discovery(new URL(issuer), clientId, {}, client.ClientSecretBasic(secret), {
    execute: [client.allowInsecureRequests],
  });
  return (await client.clientCredentialsGrant(config, { scope })).access_token;
}

export interface GraphResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON, or undefined for an empty body. */
  body: Record<string, unknown> & { error?: { code: string; message: string }; value?: Record<string, unknown>[] };
}

/** One call of the admin API, as a Graph script would make it. */
export async function graph(
  issuer: string,
  token: string | undefined,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<GraphResponse> {
  const res = await fetch(`${issuer}/v1.0${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? (JSON.parse(text) as GraphResponse['body']) : ({} as GraphResponse['body']) };
}

/** A config entry for an application that calls the admin API with client credentials. */
export function apiClient(client_id: string, secret: string, permissions: string[]) {
  return { client_id, client_secret: secret, client_name: client_id, redirect_uris: [], grant_types: ['client_credentials'], response_types: [], permissions };
}
