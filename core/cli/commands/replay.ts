/**
 * `eventfold replay <dir> --until <ISO date | n> [--stream type/id]`: time travel from the shell. Folds the history
 * up to a point with a generic reducer: for a log folder, events per type and the last event; for a store stream,
 * the entity as "last value per data field".
 * @module
 */
import { existsSync } from 'node:fs';
import { EventReader, stateAt, type Event, type Until } from '../../log/index.js';
import { stringOpt, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { emptyEntity, emptySummary, entityReducer, summaryReducer } from '../fold.js';
import { isoSeconds, plural } from '../format.js';
import { detectKind, listStreams, streamRef } from '../layout.js';

/**
 * Parses `--until`: a whole number is a count of events (the state after the first n events); anything else must
 * be a date (ISO 8601), meaning every event with `ts` at or before that instant.
 * @throws UsageError
 */
export function parseUntil(text: string | undefined): Until | null {
  if (text === undefined) return null;
  if (/^\d+$/.test(text)) return { events: Number(text) };
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) {
    throw new UsageError(
      `--until takes an ISO date (2024-05-01T12:00:00Z) or a number of events, not "${text}"`,
      'replay',
    );
  }
  return { ts: Math.floor(ms / 1000) };
}

function untilJson(until: Until | null): object | null {
  if (until === null) return null;
  return 'events' in until ? { events: until.events } : { ts: until.ts, time: isoSeconds(until.ts) };
}

function untilText(until: Until | null): string {
  if (until === null) return 'the whole history';
  return 'events' in until
    ? `the first ${plural(until.events, 'event')}`
    : `events up to ${isoSeconds(until.ts)}`;
}

function eventJson(e: Event | null): object | null {
  return e ? { ...e, time: isoSeconds(e.ts) } : null;
}

/** `eventfold replay`. */
export const replayCommand: Command = {
  name: 'replay',
  summary: "fold the history up to a date or an event count: a log's counts, or a store stream's entity",
  positionals: ['<dir>'],
  options: {
    until: {
      type: 'string',
      value: '<ISO date | n>',
      description:
        'stop at this instant (events with ts <= it) or after the first n events (default: everything)',
    },
    stream: {
      type: 'string',
      value: '<type/id>',
      description: 'store only (required there): the stream to fold',
    },
  },
  description: `
Time travel from the shell; nothing is written. For a log folder, prints events per type, the first and the last
event folded. For a store, folds one stream (--stream <type>/<id>) and prints its entity as "last value per data
field": each event's data fields overwrite the earlier values, with the version (events folded) and the event that
last changed each field. That generic state is what the files say; the domain's own state (what a "deleted" event
means, derived values) is computed by the app's reducers, which the CLI does not have.`,
  examples: [
    'eventfold replay ./data --until 2024-05-01T00:00:00Z',
    'eventfold replay ./store --stream contact/c-42 --until 10 --json | jq .state.fields',
  ],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const until = parseUntil(stringOpt(args, 'until'));
    const kind = detectKind(dir);
    const stream = stringOpt(args, 'stream');
    const bound: Until = until ?? { events: Number.MAX_SAFE_INTEGER };
    if (kind === 'log') {
      if (stream !== undefined)
        throw new UsageError('--stream is for a store; this is a single log folder', 'replay');
      const { state, events } = await stateAt(
        await EventReader.open(dir),
        summaryReducer,
        emptySummary,
        bound,
      );
      const json = {
        ok: true,
        kind,
        dir,
        until: untilJson(until),
        events,
        state: { byType: state.byType, first: eventJson(state.first), last: eventJson(state.last) },
      };
      await out.result(json, () =>
        [
          `${dir}: ${untilText(until)}: ${plural(events, 'event')} folded`,
          ...Object.entries(state.byType).map(([t, n]) => `  ${t}: ${n}`),
          state.last
            ? `last event: ${JSON.stringify(state.last)} (${isoSeconds(state.last.ts)})`
            : 'no events',
        ].join('\n'),
      );
      return 0;
    }
    if (stream === undefined) {
      throw new UsageError(
        'a store needs --stream <type>/<id> (list the streams with `eventfold info --json`)',
        'replay',
      );
    }
    const ref = streamRef(dir, stream);
    if (!ref) throw new UsageError(`--stream takes <type>/<id>, not "${stream}"`, 'replay');
    if (!existsSync(ref.dir)) {
      const ofType = listStreams(dir).filter((s) => s.type === ref.type).length;
      throw new CliError(
        'NO_STREAM',
        `The store ${dir} has no stream ${stream} (${plural(ofType, 'stream')} of type "${ref.type}").`,
      );
    }
    const { state, events } = await stateAt(
      await EventReader.open(ref.dir),
      entityReducer,
      emptyEntity,
      bound,
    );
    const json = {
      ok: true,
      kind,
      dir,
      stream,
      until: untilJson(until),
      events,
      state: {
        fields: state.fields,
        version: state.version,
        changedBy: state.changedBy,
        last: eventJson(state.last),
      },
    };
    await out.result(json, () =>
      [
        `${stream}: ${untilText(until)}: version ${state.version}${state.last ? `, last event ${state.last.type} at ${isoSeconds(state.last.ts)}` : ''}`,
        JSON.stringify(state.fields, null, 2),
      ].join('\n'),
    );
    return 0;
  },
};
