import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Client } from 'ldapts';

export const LDAP_SUFFIX = 'dc=contoso,dc=test';
export const LDAP_ROOT_DN = `cn=admin,${LDAP_SUFFIX}`;
export const LDAP_ROOT_PASSWORD = 'slapd-test-root-secret';

export interface TestSlapd {
  url: string;
  /** Searches slapd has answered since it (first) started, from its own log: what the product cost it. */
  searches(): number;
  /** A client bound as the root DN, for the test to change the tree while the product runs. */
  admin(): Promise<Client>;
  /** Stop slapd (SIGTERM), keeping its data. */
  stop(): Promise<void>;
  /** Start it again on the same port and data. */
  start(): Promise<void>;
  /** Stop it and delete its folder. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function answers(url: string): Promise<boolean> {
  const c = new Client({ url, connectTimeout: 500, timeout: 500 });
  try {
    await c.bind(LDAP_ROOT_DN, LDAP_ROOT_PASSWORD);
    return true;
  } catch {
    return false;
  } finally {
    await c.unbind().catch(() => {});
  }
}

/**
 * Debian's real `slapd` of the test's own: a temporary folder with a slapd.conf (mdb, the memberof overlay so users
 * carry `memberOf`), the tree `ldif` loaded with `slapadd`, listening on a free loopback port.
 */
export async function startSlapd(ldif: string): Promise<TestSlapd> {
  const dir = mkdtempSync(path.join(tmpdir(), 'oidc-tap-slapd-'));
  const db = path.join(dir, 'db');
  mkdirSync(db);
  const conf = path.join(dir, 'slapd.conf');
  writeFileSync(
    conf,
    [
      'include /etc/ldap/schema/core.schema',
      'include /etc/ldap/schema/cosine.schema',
      'include /etc/ldap/schema/inetorgperson.schema',
      `pidfile ${path.join(dir, 'slapd.pid')}`,
      'modulepath /usr/lib/ldap',
      'moduleload back_mdb',
      'moduleload memberof',
      'database mdb',
      `suffix "${LDAP_SUFFIX}"`,
      `rootdn "${LDAP_ROOT_DN}"`,
      `rootpw ${LDAP_ROOT_PASSWORD}`,
      `directory ${db}`,
      'maxsize 10485760',
      'overlay memberof',
      'memberof-group-oc groupOfNames',
      'memberof-member-ad member',
      'memberof-memberof-ad memberOf',
      'memberof-refint true',
      '',
    ].join('\n'),
  );
  const ldifFile = path.join(dir, 'tree.ldif');
  writeFileSync(ldifFile, ldif);
  // slapadd bypasses overlays: the groups' memberOf is written by the tree's LDIF itself, new ones by slapd.
  const added = spawnSync('/usr/sbin/slapadd', ['-f', conf, '-l', ldifFile], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`slapadd failed: ${added.stderr}`);
  const port = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  let proc: ChildProcess | undefined;
  let searches = 0;
  const clients: Client[] = [];

  async function start(): Promise<void> {
    // -d 256: the stats log on stderr, one `SRCH base=` line per search.
    const p = spawn('/usr/sbin/slapd', ['-h', `${url}/`, '-f', conf, '-d', '256'], { stdio: ['ignore', 'ignore', 'pipe'] });
    proc = p;
    let rest = '';
    p.stderr!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      searches += lines.filter((l) => / SRCH base=/.test(l)).length;
    });
    for (let i = 0; i < 100; i++) {
      if (p.exitCode !== null) throw new Error(`slapd exited with ${p.exitCode}`);
      if (await answers(url)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('slapd did not answer');
  }

  async function stop(): Promise<void> {
    const p = proc;
    proc = undefined;
    if (!p || p.exitCode !== null) return;
    await new Promise<void>((r) => {
      p.once('exit', () => r());
      p.kill('SIGTERM');
    });
  }

  await start();
  return {
    url,
    searches: () => searches,
    async admin() {
      const c = new Client({ url, timeout: 5000, connectTimeout: 5000 });
      await c.bind(LDAP_ROOT_DN, LDAP_ROOT_PASSWORD);
      clients.push(c);
      return c;
    },
    stop,
    start,
    async destroy() {
      await Promise.all(clients.map((c) => c.unbind().catch(() => {})));
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
