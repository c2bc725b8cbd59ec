/**
 * A {@link Logger} that writes to stderr with a prefix (the shell's processes have no other log yet).
 * @module
 */
import type { Logger } from '../../core/log/index.js';

/** Logs warnings (and info) to stderr, one line each, prefixed with `[prefix]`. */
export function consoleLogger(prefix: string): Logger {
  const line = (level: string, message: string, details?: Record<string, unknown>): void => {
    console.error(`[${prefix}] ${level}: ${message}${details ? ` ${JSON.stringify(details)}` : ''}`);
  };
  return {
    warn: (message, details) => line('warn', message, details),
    info: (message, details) => line('info', message, details),
  };
}
