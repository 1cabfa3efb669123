import { ConfigError } from './errors.js';
import { startServer } from './startServer.js';

try {
  const running = await startServer();
  // SIGTERM (orchestrators) and SIGINT (Ctrl-C): stop accepting, finish requests under way, stop the background
  // loops, close Redis and the embedded redis-server, exit 0. A second signal does not wait any longer.
  const stop = (signal: NodeJS.Signals) => {
    if (running.closing) {
      process.stderr.write(`oidc-tap: ${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    running.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`oidc-tap: shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} catch (e) {
  // One line that names what is wrong; no stack trace for a configuration mistake.
  const message = e instanceof ConfigError ? `config error: ${e.message}` : `cannot start: ${(e as Error).message}`;
  process.stderr.write(`oidc-tap: ${message}\n`);
  process.exit(1);
}
