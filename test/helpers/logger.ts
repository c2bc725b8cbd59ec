/**
 * A Logger that records what it is told, so tests can check that recoveries are never silent.
 * @module
 */
import type { Logger } from '../../core/log/index.js';

/** One recorded warning. */
export interface Warning {
  message: string;
  details?: Record<string, unknown>;
}

/** A Logger that keeps every warning in `warnings`. */
export class RecordingLogger implements Logger {
  readonly warnings: Warning[] = [];

  warn(message: string, details?: Record<string, unknown>): void {
    this.warnings.push(details === undefined ? { message } : { message, details });
  }

  /** All warning messages joined, for `toMatch`. */
  get text(): string {
    return this.warnings.map((w) => w.message).join('\n');
  }
}
