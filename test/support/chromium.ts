import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type CDPSession, type Page } from 'playwright-core';

/** Debian's chromium, as CI installs it. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
}

/** A credential as the CDP WebAuthn domain reports and accepts it. */
export interface VirtualCredential {
  credentialId: string;
  isResidentCredential: boolean;
  rpId?: string;
  privateKey: string;
  userHandle?: string;
  signCount: number;
}

/**
 * A page with a platform authenticator that verifies the user (like Touch ID that always succeeds), through
 * Chrome's DevTools WebAuthn domain.
 */
export class PasskeyPage {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private readonly cdp: CDPSession,
    private authenticatorId: string | undefined,
  ) {}

  /** `options`: the context's, e.g. a locale and an Accept-Language header. */
  static async open(browser: Browser, options: BrowserContextOptions = {}): Promise<PasskeyPage> {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.setDefaultTimeout(8000);
    const cdp = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable', { enableUI: false });
    const p = new PasskeyPage(context, page, cdp, undefined);
    await p.addAuthenticator();
    return p;
  }

  async addAuthenticator(): Promise<void> {
    const { authenticatorId } = await this.cdp.send('WebAuthn.addVirtualAuthenticator', {
      options: {
        protocol: 'ctap2',
        transport: 'internal',
        hasResidentKey: true,
        hasUserVerification: true,
        isUserVerified: true,
        automaticPresenceSimulation: true,
      },
    });
    this.authenticatorId = authenticatorId;
  }

  /**
   * With presence off, a request waits as it would for a person to touch the key, so a page's passkey autofill
   * (a conditional request) stays pending instead of answering at once.
   */
  async setPresence(on: boolean): Promise<void> {
    await this.cdp.send('WebAuthn.setAutomaticPresenceSimulation', { authenticatorId: this.authenticatorId!, enabled: on });
  }

  /** The user loses their device: the authenticator and its credentials are gone. */
  async removeAuthenticator(): Promise<void> {
    if (!this.authenticatorId) return;
    await this.cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: this.authenticatorId });
    this.authenticatorId = undefined;
  }

  async credentials(): Promise<VirtualCredential[]> {
    const { credentials } = await this.cdp.send('WebAuthn.getCredentials', { authenticatorId: this.authenticatorId! });
    return credentials as VirtualCredential[];
  }

  /** Put a credential on this page's authenticator (the same security key, plugged into another browser). */
  async addCredential(c: VirtualCredential): Promise<void> {
    await this.cdp.send('WebAuthn.addCredential', { authenticatorId: this.authenticatorId!, credential: c });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}

export type { Page };

/**
 * A relying party's redirect URI that a real browser can reach: answers every request with a plain page. The
 * browser arriving here, with its query string, is the result a test reads.
 */
export async function startCallbackServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('callback');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
