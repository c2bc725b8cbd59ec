/**
 * `eventfold replay <dir> --until <ISO date | n> [--stream type/id | --projection name]`: time travel from the
 * shell. Folds the history up to a point: for a log folder, events per type and the last event; for a store stream,
 * the entity as "last value per data field"; for a CRM read model (`--projection`), its state, folded from the
 * streams in global order by the CRM's own projection code, without opening the store (the app may be running).
 * @module
 */
import { existsSync } from 'node:fs';
import { crmAggregates, crmProjections } from '../../crm/index.js';
import { aggregateStateAt, folderSource, projectionAt, type AsOf } from '../../es/index.js';
import { EventReader, stateAt, type Event, type Until } from '../../log/index.js';
import { stringOpt, type Command } from '../command.js';
import { CliError, UsageError } from '../errors.js';
import { emptyEntity, emptySummary, entityReducer, summaryReducer } from '../fold.js';
import { isoSeconds, plural } from '../format.js';
import { journalJson, openFolder, type JournalReport } from '../journal.js';
import { listStreams, streamRef } from '../layout.js';

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

type Out = Parameters<Command['run']>[0]['out'];

/**
 * `--until` as core/es time travel: a date, or for a number, a global position (`'position'`, for read models) or
 * an event count (`'events'`, for one stream: the first n events, i.e. a version).
 */
function asOfOf(until: Until | null, numbers: 'position' | 'events' = 'events'): AsOf {
  if (until === null) return { position: Number.MAX_SAFE_INTEGER };
  if ('ts' in until) return { date: new Date(until.ts * 1000) };
  return numbers === 'position' ? { position: until.events } : { events: until.events };
}

async function replayProjection(
  dir: string,
  name: string,
  until: Until | null,
  out: Out,
  journal: JournalReport | null,
): Promise<number> {
  const known = crmProjections();
  const projection = known.find((p) => p.name === name);
  if (!projection) {
    throw new CliError(
      'NO_PROJECTION',
      `There is no read model "${name}". Known: ${known.map((p) => p.name).join(', ')}.`,
    );
  }
  const asOf: AsOf =
    until === null
      ? { position: Number.MAX_SAFE_INTEGER }
      : 'events' in until
        ? { position: until.events }
        : { date: new Date(until.ts * 1000) };
  const state = await projectionAt(
    folderSource(dir, crmAggregates),
    projection,
    asOf,
    Number.MAX_SAFE_INTEGER,
  );
  const json = {
    ok: true,
    kind: 'store',
    dir,
    projection: name,
    until: untilJson(until),
    state,
    ...journalJson(journal),
  };
  const when =
    until === null ? 'the whole history' : 'events' in until ? `position ${until.events}` : untilText(until);
  await out.result(json, () => [`${name}: ${when}`, JSON.stringify(state, null, 2)].join('\n'));
  return 0;
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
      description: 'store only: the stream to fold',
    },
    projection: {
      type: 'string',
      value: '<name>',
      description:
        'store only: a CRM read model to fold instead (a number in --until is then a global position)',
    },
  },
  description: `
Time travel from the shell; nothing is written. For a log folder, prints events per type, the first and the last
event folded. For a store, folds one stream (--stream <type>/<id>) and prints its entity as "last value per data
field": each event's data fields overwrite the earlier values, with the version (events folded) and the event that
last changed each field. That generic state is what the files say; the domain's own state (what a "deleted" event
means, derived values) is computed by the app's reducers: for a stream of a CRM record kind, the JSON also has
"aggregate", the state the app's own aggregate folds from the same events.

With --projection <name>, folds one of the CRM's read models (crm-contacts, crm-pipeline-board, crm-dashboard, ...)
from the streams with the app's own code, as of --until (a date, or a global position when a number), and prints
its state. Reads only; the app may keep running.`,
  examples: [
    'eventfold replay ./data --until 2024-05-01T00:00:00Z',
    'eventfold replay ./store --stream contact/c-42 --until 10 --json | jq .state.fields',
    'eventfold replay ./store --projection crm-dashboard --until 2024-05-01T00:00:00Z --json | jq .state',
  ],
  async run({ args, out }) {
    const dir = args.positionals[0]!;
    const until = parseUntil(stringOpt(args, 'until'));
    const { kind, journal } = await openFolder(dir, out);
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
    const projection = stringOpt(args, 'projection');
    if (projection !== undefined) {
      if (stream !== undefined) throw new UsageError('give --stream or --projection, not both', 'replay');
      return replayProjection(dir, projection, until, out, journal);
    }
    if (stream === undefined) {
      throw new UsageError(
        'a store needs --stream <type>/<id> or --projection <name> (list the streams with `eventfold info --json`)',
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
    // For a CRM stream, also the state the app itself computes (its aggregate's own fold, upcasters included).
    const aggregate = crmAggregates.find((a) => a.type === ref.type);
    const domain = aggregate ? await aggregateStateAt(aggregate, ref.dir, asOfOf(until)) : null;
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
      ...(domain ? { aggregate: { type: ref.type, version: domain.version, state: domain.state } } : {}),
      ...journalJson(journal),
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
