import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A local TLS terminator, as a deployment puts in front of the provider: https on 127.0.0.1 with a
 * throw-away certificate for that address (made by openssl), forwarding every request to `forwardTo`'s backend with
 * `X-Forwarded-Proto: https`. `ca` is the certificate, for clients to trust; `url` the https origin.
 */
export async function startTlsTerminator(): Promise<{ url: string; ca: string; forwardTo(backend: string): void; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'oidc-tap-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    const key = readFileSync(join(dir, 'key.pem'), 'utf8');
    const ca = readFileSync(join(dir, 'cert.pem'), 'utf8');
    let backend: URL | undefined;
    const server = https.createServer({ key, cert: ca }, (req, res) => {
      const upstream = http.request(
        { host: backend!.hostname, port: backend!.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-proto': 'https' } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
      ca,
      forwardTo(url) {
        backend = new URL(url);
      },
      async close() {
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
      },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
