/**
 * SIGTERM / SIGINT handling shared by the long-running commands (`serve`, `node`).
 *
 * Contract: the first signal logs `shutting down`, runs `stop` once and exits 0; a second signal
 * is ignored; if `stop` has not finished within 9.5 s the process exits 0 anyway (the README's
 * "exits 0 within 10 s"). `stopping()` tells whether a signal has arrived.
 */
import type { Logger } from 'pino';

export function exitOnSignals(log: Logger, stop: () => Promise<void>): { stopping(): boolean } {
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const hard = setTimeout(() => process.exit(0), 9500);
    hard.unref();
    await stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  return { stopping: () => stopping };
}
