/**
 * CommandContext: who and why, carried beside a command and written into each event's `actor` and `meta`.
 * @module
 */

/**
 * Cross-cutting metadata of a command. Written into every event it produces: `actor` as the event's `actor`;
 * `correlationId`, `causationId`, `sourceDevice` as `meta.correlation_id`, `meta.causation_id`,
 * `meta.source_device` (the eventfold-es 0.2 names); `metadata` (an object) merged into `meta`.
 *
 * @example
 * const ctx: CommandContext = { actor: 'user:ana', correlationId: 'import-42', metadata: { ui: 'contact-form' } };
 */
export interface CommandContext {
  /** Who issues the command (`'user:ana'`, `'system:deal-follow-up'`). */
  actor?: string;
  /** Ties together everything one user action or import caused. */
  correlationId?: string;
  /** The id of the event (or command) that caused this command, e.g. for process managers. */
  causationId?: string;
  /** The device that produced the event (sync between devices). */
  sourceDevice?: string;
  /** Extra JSON fields for `meta`. */
  metadata?: Record<string, unknown>;
}

/** The `meta` keys the runtime itself writes; `metadata` cannot override them. */
export const META_KEYS = {
  correlationId: 'correlation_id',
  causationId: 'causation_id',
  sourceDevice: 'source_device',
  commandId: 'command_id',
  seq: 'seq',
  version: 'v',
  /** Set on events injected from elsewhere that process managers must not react to again. */
  injected: 'injected',
} as const;

/** The `meta` object for an event of a command with context `ctx` (undefined when there is nothing to write). */
export function contextMeta(ctx: CommandContext | undefined): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (ctx?.metadata && typeof ctx.metadata === 'object') Object.assign(meta, ctx.metadata);
  // Keys only the runtime writes: a metadata `command_id` would mark a later command as a duplicate after a
  // replay, a `v` would skip upcasters, a `seq` would fake a global position, an `injected` would hide it from process managers.
  delete meta[META_KEYS.commandId];
  delete meta[META_KEYS.seq];
  delete meta[META_KEYS.version];
  delete meta[META_KEYS.injected];
  if (ctx?.correlationId !== undefined) meta[META_KEYS.correlationId] = ctx.correlationId;
  if (ctx?.causationId !== undefined) meta[META_KEYS.causationId] = ctx.causationId;
  if (ctx?.sourceDevice !== undefined) meta[META_KEYS.sourceDevice] = ctx.sourceDevice;
  return meta;
}

/** The context of a stored event, as far as it was recorded (for process managers and the timeline). */
export function contextOf(event: { actor?: string; meta?: Record<string, unknown> }): CommandContext {
  const ctx: CommandContext = {};
  const m = event.meta ?? {};
  if (event.actor !== undefined) ctx.actor = event.actor;
  if (typeof m[META_KEYS.correlationId] === 'string')
    ctx.correlationId = m[META_KEYS.correlationId] as string;
  if (typeof m[META_KEYS.causationId] === 'string') ctx.causationId = m[META_KEYS.causationId] as string;
  if (typeof m[META_KEYS.sourceDevice] === 'string') ctx.sourceDevice = m[META_KEYS.sourceDevice] as string;
  return ctx;
}
