import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A relying party's back-channel logout endpoint: keeps each logout token posted to it. */
export class LogoutReceiver {
  readonly tokens: string[] = [];
  /** Answer this many next requests 503, as an application that is briefly down. */
  failures = 0;
  private readonly server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const token = new URLSearchParams(body).get('logout_token');
      if (req.method !== 'POST' || req.headers['content-type'] !== 'application/x-www-form-urlencoded' || !token) return void res.writeHead(400).end();
      if (this.failures > 0) {
        this.failures--;
        return void res.writeHead(503).end();
      }
      this.tokens.push(token);
      res.writeHead(200).end();
    });
  });
  url = '';

  async start() {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/backchannel-logout`;
  }

  close() {
    return new Promise<void>((r) => this.server.close(() => r()));
  }
}
