import { ConfigError } from './errors.js';
import { startServer } from './startServer.js';

try {
  const running = await startServer();
  const stop = () => {
    void running.close().then(() => process.exit(0));
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (e) {
  // One line that names what is wrong; no stack trace for a configuration mistake.
  const message = e instanceof ConfigError ? `config error: ${e.message}` : `cannot start: ${(e as Error).message}`;
  process.stderr.write(`oidc-tap: ${message}\n`);
  process.exit(1);
}
