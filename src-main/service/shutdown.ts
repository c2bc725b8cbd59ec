/**
 * Graceful shutdown: runs the closing steps once, in order, whatever triggered it (quit, last window closed,
 * SIGTERM, SIGINT); a failing step is logged and the next still runs, so the store is always closed.
 * @module
 */
import { silentLogger, type Logger } from '../../core/log/index.js';

/** One named closing step. */
export interface ShutdownStep {
  name: string;
  run(): void | Promise<void>;
}

/** A shutdown sequence: `run()` starts it the first time and returns the same promise afterwards. */
export interface Shutdown {
  run(): Promise<void>;
  /** Whether `run()` has been called. */
  readonly started: boolean;
}

/** Creates the sequence; see the module comment. */
export function createShutdown(steps: readonly ShutdownStep[], logger: Logger = silentLogger): Shutdown {
  let done: Promise<void> | null = null;
  return {
    get started() {
      return done !== null;
    },
    run() {
      done ??= (async () => {
        for (const step of steps) {
          try {
            await step.run();
          } catch (err) {
            logger.warn(`shutdown step "${step.name}" failed`, { error: String(err) });
          }
        }
      })();
      return done;
    },
  };
}
