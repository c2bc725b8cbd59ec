/**
 * The logger interface: the engine never prints; pass a logger to hear about recoveries and rebuilds.
 * @module
 */

/** Receives warnings (recoveries, rebuilds) and debug messages. */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  info?(message: string, details?: Record<string, unknown>): void;
  debug?(message: string, details?: Record<string, unknown>): void;
}

/** The default: silent. */
export const silentLogger: Logger = { warn() {} };
