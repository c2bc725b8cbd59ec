/**
 * Loading demo data through the backend's command path (validation, links, duplicate checks, idempotency by
 * command id), each batch's commands concurrently: records of one batch are distinct streams, so their appends and
 * syncs overlap.
 * @module
 */
import { DomainError } from '../../es/index.js';
import type { BackendResult, CommandRequest } from '../backend.js';
import { demoBatches, type DemoOptions } from './generate.js';

/** What a load did. */
export interface DemoLoadResult {
  /** Commands sent. */
  commands: number;
  /** Records created by this load (0 when it all existed already). */
  created: number;
  /** Events written. */
  events: number;
  /** Commands found already executed (a second load of the same seed). */
  duplicates: number;
  /** Wall time of the load, ms. */
  ms: number;
}

/** Options of {@link loadDemo}. */
export interface DemoLoadOptions {
  /** Commands in flight at once. Default 16. */
  concurrency?: number;
  /** Called after each batch with the running totals (progress of a long load). */
  onBatch?: (sofar: DemoLoadResult) => void;
}

/**
 * Sends the demo data of `options` to `execute` (a backend's, or an extension's `rt.execute`).
 * @throws DomainError `DEMO_LOAD_FAILED` at the first refused command (what was loaded stays; loading again
 * continues where it stopped, since every command id is known).
 */
export async function loadDemo(
  execute: (request: CommandRequest) => Promise<BackendResult>,
  options: DemoOptions,
  load: DemoLoadOptions = {},
): Promise<DemoLoadResult> {
  const start = performance.now();
  const result: DemoLoadResult = { commands: 0, created: 0, events: 0, duplicates: 0, ms: 0 };
  const concurrency = load.concurrency ?? 16;
  for (const batch of demoBatches(options)) {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < batch.length) {
        const cmd = batch[next++]!;
        const r = await execute(cmd);
        if (!r.ok) {
          throw new DomainError(
            'DEMO_LOAD_FAILED',
            `Loading the demo data stopped at ${cmd.command} ${String(cmd.input.id)}: ${r.error.message} ` +
              'What was loaded is kept; loading again continues without duplicating it.',
            { command: cmd.command, id: cmd.input.id, error: r.error },
          );
        }
        const v = r.value as { duplicate?: boolean; events?: string[] };
        result.commands++;
        if (v.duplicate) result.duplicates++;
        else {
          result.events += v.events?.length ?? 0;
          if (/^(Create|Log)/.test(cmd.command)) result.created++;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, worker));
    result.ms = performance.now() - start;
    load.onBatch?.({ ...result });
  }
  result.ms = performance.now() - start;
  return result;
}
