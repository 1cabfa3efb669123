import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import { selfSignedCertificate } from './selfSignedCertificate.js';

export interface TlsTerminator {
  /** `https://localhost:<port>`: the issuer of the provider behind it. */
  url: string;
  /** Its certificate (PEM), for a client that takes its own trust store rather than the process's. */
  ca: string;
  /** Send what arrives to this loopback http URL (the provider's), with X-Forwarded-Proto/-For as a proxy would. */
  forwardTo(target: string): void;
  close(): Promise<void>;
}

/**
 * A TLS-terminating reverse proxy on a free loopback port, for clients that refuse http authorities (MSAL). Its
 * certificate is added to this process's trusted CAs until `close()`, so clients with their default settings
 * (Node's https, fetch) trust it as they would a real deployment's.
 */
export async function startTlsTerminator(): Promise<TlsTerminator> {
  const { key, cert } = selfSignedCertificate();
  const before = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...before, cert]);
  let target: URL | undefined;
  const server = https.createServer({ key, cert }, (req, res) => {
    if (!target) {
      res.writeHead(503).end();
      return;
    }
    const upstream = http.request(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1' } },
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
    url: `https://localhost:${(server.address() as AddressInfo).port}`,
    ca: cert,
    forwardTo(t) {
      target = new URL(t);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      tls.setDefaultCACertificates(before);
    },
  };
}
