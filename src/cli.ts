#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfigFile } from './config/loadConfigFile.js';
import { readEnv } from './config/readEnv.js';
import { AppError, ConfigError } from './errors.js';
import { createLogger } from './log/createLogger.js';
import { loadSecrets } from './secrets/loadSecrets.js';
import { connectRedis } from './store/connectRedis.js';
import { createServices } from './createServices.js';
import { waitForRedis } from './store/waitForRedis.js';
import { seedConfig } from './bootstrap/seedConfig.js';
import { generateSigningKey } from './secrets/generateSigningKey.js';
import { checkSecretsFingerprint } from './secrets/checkSecretsFingerprint.js';
import { keys } from './store/keys.js';
import { replicated } from './store/replicated.js';

const USAGE = `usage:
  oidc-tap tap create <upn> [--lifetime MIN] [--start ISO] [--once] [--json]
  oidc-tap tap list <upn> [--json]
  oidc-tap tap delete <upn>
  oidc-tap tap unlock <upn>                     clear the failures against the user's TAP and its lock
  oidc-tap policy show
  oidc-tap policy set <field>=<value> [...]     e.g. state=enabled isUsableOnce=true defaultLifetimeInMinutes=120
  oidc-tap policy reset
  oidc-tap config import                        apply the config file's users and policy over what the API changed
  oidc-tap secrets reset                        forget the deployment's secrets fingerprint (a deliberate TAP_SECRET change)
  oidc-tap secrets jwks                         print a new JWK set (RS256 and ES256) for JWKS_FILE
  oidc-tap secrets key                          print a new RS256 key marked publish-only, to add to JWKS_FILE
Environment as for the server (REDIS_URL, TAP_SECRET, CONFIG, DATA_DIR).`;

/** Break-glass and bootstrap administration from a shell; the same service code as the API. */
async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      lifetime: { type: 'string' },
      start: { type: 'string' },
      once: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [area, action, subject, ...rest] = positionals;
  if (values.help || !area || !action) {
    process.stdout.write(`${USAGE}\n`);
    return values.help ? 0 : 2;
  }
  // Key generation needs no environment, no config and no Redis.
  if (area === 'secrets' && (action === 'jwks' || action === 'key')) {
    const keys = action === 'jwks' ? [await generateSigningKey('RS256'), await generateSigningKey('ES256')] : [await generateSigningKey('RS256', { publishOnly: true })];
    process.stdout.write(`${JSON.stringify(action === 'jwks' ? { keys } : keys[0], null, 2)}\n`);
    return 0;
  }
  const env = readEnv();
  // Logs go to stderr so that stdout carries only the answer (and the passcode, once).
  const log = createLogger((l) => process.stderr.write(l));
  let redisUrl = env.redisUrl;
  const urlFile = path.join(env.dataDir, 'redis.url');
  if (!redisUrl && existsSync(urlFile)) redisUrl = readFileSync(urlFile, 'utf8').trim();
  if (!redisUrl) throw new ConfigError('REDIS_URL', 'is unset and no running server was found under DATA_DIR; set REDIS_URL');
  const config = loadConfigFile(env.configPath);
  const secrets = await loadSecrets(env, log);
  const redis = connectRedis(redisUrl);
  replicated.require(redis, { ...env.waitForReplicas, log });
  await waitForRedis(redis, redisUrl, 5_000);
  // Audited like the admin API; security events are only queued here, a running server delivers them.
  const { directory, taps, securityEvents, backchannelLogout, audit } = createServices({ redis, config, secrets, issuer: env.issuer, logger: log });
  const cli = { actor: { type: 'system', id: 'cli' } } as const;
  try {
    const out = (v: unknown) => process.stdout.write(`${JSON.stringify(v, null, 2)}\n`);

    if (area === 'config' && action === 'import') {
      await seedConfig({ redis, directory, taps, log }, config, { overwrite: true });
      process.stdout.write(`imported ${config.users.length} users${Object.keys(config.tapPolicy).length ? ' and the TAP policy' : ''} from ${env.configPath}\n`);
      return 0;
    }
    if (area === 'secrets' && action === 'reset') {
      await redis.del(keys.secretsFingerprint());
      process.stdout.write('secrets fingerprint forgotten: the next instance to start records its own\n');
      return 0;
    }
    if (area === 'policy') {
      if (action === 'show') return out(await taps.getPolicy()), 0;
      if (action === 'reset') return out(await taps.resetPolicy(cli)), 0;
      if (action === 'set') {
        const changes: Record<string, unknown> = {};
        for (const pair of [subject, ...rest].filter((x): x is string => !!x)) {
          const eq = pair.indexOf('=');
          if (eq < 1) throw new AppError(`"${pair}" is not field=value`, 'badRequest', 400);
          const raw = pair.slice(eq + 1);
          try {
            changes[pair.slice(0, eq)] = JSON.parse(raw);
          } catch {
            changes[pair.slice(0, eq)] = raw;
          }
        }
        return out(await taps.updatePolicy(changes, cli)), 0;
      }
    }
    if (area === 'tap' && subject) {
      await checkSecretsFingerprint(redis, secrets, log, { record: false });
      const user = await directory.findByUpn(subject);
      if (!user) throw new AppError(`no user "${subject}"`, 'notFound', 404);
      if (action === 'create') {
        const tap = await taps.create(user, {
          ...(values.lifetime !== undefined ? { lifetimeInMinutes: Number(values.lifetime) } : {}),
          ...(values.start !== undefined ? { startDateTime: values.start } : {}),
          ...(values.once ? { isUsableOnce: true } : {}),
        }, cli);
        if (values.json) out(tap);
        else {
          const ends = new Date(Date.parse(tap.startDateTime) + tap.lifetimeInMinutes * 60_000).toISOString();
          process.stdout.write(
            `Temporary Access Pass for ${user.userPrincipalName}: ${tap.temporaryAccessPass}\n` +
              `valid ${tap.startDateTime} to ${ends}${tap.isUsableOnce ? ', once' : ''}. It is shown only now.\n`,
          );
        }
        return 0;
      }
      if (action === 'list') {
        const tap = await taps.get(user);
        if (values.json) out(tap ? [tap] : []);
        else process.stdout.write(tap ? `${tap.id} ${tap.methodUsabilityReason} start ${tap.startDateTime} lifetime ${tap.lifetimeInMinutes} min${tap.isUsableOnce ? ' once' : ''} failures ${tap['oidcTap.failureCount']}\n` : 'no Temporary Access Pass\n');
        return 0;
      }
      if (action === 'unlock') {
        const tap = await taps.get(user);
        if (!tap) throw new AppError(`${user.userPrincipalName} has no Temporary Access Pass`, 'notFound', 404);
        await taps.unlock(user, tap.id, cli);
        process.stdout.write('unlocked\n');
        return 0;
      }
      if (action === 'delete') {
        const tap = await taps.get(user);
        await taps.delete(user, tap?.id, cli);
        process.stdout.write('deleted\n');
        return 0;
      }
    }
    process.stdout.write(`${USAGE}\n`);
    return 2;
  } finally {
    await securityEvents?.close();
    // The logout tokens of the sessions a TAP deletion ended are queued for a running server to send.
    await backchannelLogout?.close();
    await directory.close();
    await audit.close();
    redis.disconnect();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const msg = e instanceof ConfigError ? `config error: ${e.message}` : e instanceof AppError || e instanceof TypeError ? e.message : `failed: ${(e as Error).message}`;
    process.stderr.write(`oidc-tap: ${msg}\n`);
    process.exit(e instanceof AppError ? 1 : 2);
  },
);
