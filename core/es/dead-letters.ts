/**
 * Dead letters of a process manager: commands whose dispatch failed, kept for inspection and retry.
 *
 * `dead_letters.jsonl` has one line per failure in the eventfold-es 0.2 shape
 * (`{"envelope":{"aggregate_type","instance_id","command","context":{...}},"error","ts"}`) plus an `id` (the
 * command id). Retries and discards are recorded in `dead_letters.resolved.jsonl` (`{"id","outcome","ts"}`):
 * both files stay append-only, and both are fsynced.
 * @module
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fsyncDir } from '../log/index.js';
import type { CommandContext } from './context.js';
import type { CommandEnvelope } from './process-manager.js';

/** A failed dispatch. */
export interface DeadLetter {
  /** The command id of the dispatch (stable: a retry reuses it, so it is still executed at most once). */
  id: string;
  envelope: CommandEnvelope;
  /** Why it failed. */
  error: string;
  /** Unix seconds. */
  ts: number;
}

/** How a dead letter was settled. */
export type DeadLetterOutcome = 'retried' | 'discarded';

function appendDurably(file: string, line: string): void {
  mkdirSync(dirname(file), { recursive: true });
  const created = !existsSync(file);
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, line + '\n');
    fdatasyncSync(fd);
  } finally {
    closeSync(fd);
  }
  if (created) fsyncDir(dirname(file));
}

function readLines(file: string): unknown[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const out: unknown[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      out.push(JSON.parse(line));
    } catch {
      // a torn last line after a crash: the failure is retried by the process manager's re-run
    }
  }
  return out;
}

function contextToJson(ctx: CommandContext | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {
    actor: ctx?.actor ?? null,
    correlation_id: ctx?.correlationId ?? null,
    metadata: ctx?.metadata ?? null,
  };
  if (ctx?.sourceDevice !== undefined) out.source_device = ctx.sourceDevice;
  if (ctx?.causationId !== undefined) out.causation_id = ctx.causationId;
  return out;
}

function contextFromJson(v: Record<string, unknown> | undefined): CommandContext {
  const ctx: CommandContext = {};
  if (typeof v?.actor === 'string') ctx.actor = v.actor;
  if (typeof v?.correlation_id === 'string') ctx.correlationId = v.correlation_id;
  if (typeof v?.causation_id === 'string') ctx.causationId = v.causation_id;
  if (typeof v?.source_device === 'string') ctx.sourceDevice = v.source_device;
  if (v?.metadata && typeof v.metadata === 'object') ctx.metadata = v.metadata as Record<string, unknown>;
  return ctx;
}

/** The dead letters of one process manager. */
export class DeadLetters {
  readonly file: string;
  readonly resolvedFile: string;
  private readonly all = new Map<string, DeadLetter>();
  private readonly settled = new Set<string>();

  constructor(dir: string) {
    this.file = join(dir, 'dead_letters.jsonl');
    this.resolvedFile = join(dir, 'dead_letters.resolved.jsonl');
    let n = 0;
    for (const raw of readLines(this.file)) {
      const v = raw as { envelope?: Record<string, unknown>; error?: unknown; ts?: unknown; id?: unknown };
      const env = v.envelope ?? {};
      const id = typeof v.id === 'string' ? v.id : `line-${++n}`;
      const envelope: CommandEnvelope = {
        aggregateType: String(env.aggregate_type),
        instanceId: String(env.instance_id),
        command: env.command,
        context: contextFromJson(env.context as Record<string, unknown> | undefined),
      };
      if (typeof env.command_id === 'string') envelope.commandId = env.command_id;
      this.all.set(id, { id, envelope, error: String(v.error), ts: typeof v.ts === 'number' ? v.ts : 0 });
    }
    for (const raw of readLines(this.resolvedFile)) {
      const id = (raw as { id?: unknown }).id;
      if (typeof id === 'string') this.settled.add(id);
    }
  }

  /** Dead letters not retried successfully nor discarded, oldest first. */
  pending(): DeadLetter[] {
    return [...this.all.values()].filter((d) => !this.settled.has(d.id));
  }

  /**
   * Records a failed dispatch, once per command id: a re-run after a crash that fails again on a letter already
   * recorded (pending, retried or discarded) adds nothing. Returns whether it was recorded.
   */
  add(id: string, envelope: CommandEnvelope, error: string): boolean {
    if (this.all.has(id)) return false;
    const letter: DeadLetter = {
      id,
      envelope: { ...envelope, commandId: id },
      error,
      ts: Math.floor(Date.now() / 1000),
    };
    appendDurably(
      this.file,
      JSON.stringify({
        envelope: {
          aggregate_type: envelope.aggregateType,
          instance_id: envelope.instanceId,
          command: envelope.command,
          context: contextToJson(envelope.context),
          command_id: id,
        },
        error,
        ts: letter.ts,
        id,
      }),
    );
    this.all.set(id, letter);
    return true;
  }

  /** Looks up a dead letter by id. */
  get(id: string): DeadLetter | undefined {
    return this.all.get(id);
  }

  /** Marks a dead letter settled. */
  settle(id: string, outcome: DeadLetterOutcome): void {
    appendDurably(this.resolvedFile, JSON.stringify({ id, outcome, ts: Math.floor(Date.now() / 1000) }));
    this.settled.add(id);
  }
}
