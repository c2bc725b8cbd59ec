/**
 * Descriptions of timeline entries: a summary sentence and one line per changed field (`Title: CTO -> CEO`),
 * with record and stage ids replaced by their current names. Also the names the timeline keeps for that.
 * @module
 */
import type { StoredEvent } from '../../es/stored-event.js';
import { clip, fieldLabel, formatValue, isBlank } from './format.js';
import { type Dict, own, recordKey } from './util.js';

/** Names by key: `'<kind>:<id>'` (records), `'stage:<pipeline>/<stage>'`, `'field:<kind>/<fieldId>'`. */
export type Names = Dict<string>;

/** A described entry. */
export interface Described {
  /** One sentence, e.g. `Updated contact “Ana Lima”`. */
  summary: string;
  /** One line per changed (or, for a creation, set) field: `Title: CTO -> CEO`. */
  lines: string[];
}

/** What the stored entry must carry to be described. */
export interface DescribableEntry {
  src: string;
  type: string;
  data: unknown;
  pipelineId: string | null;
}

const KINDS = ['Contact', 'Company', 'Deal', 'Pipeline', 'Task', 'Note', 'Activity'] as const;

const LIFECYCLE: Readonly<Record<string, string>> = {
  Archived: 'Archived',
  Unarchived: 'Unarchived',
  Trashed: 'Moved to the trash',
  Restored: 'Restored from the trash',
};

const SUFFIXES = new Set([
  'Created',
  'Updated',
  'Edited',
  'Logged',
  ...Object.keys(LIFECYCLE),
  'MergedInto',
  'MergedFrom',
  'Unmerged',
  'UnmergedFrom',
  'StageChanged',
  'Won',
  'Lost',
  'Reopened',
  'Completed',
  'Rescheduled',
  'ReminderSnoozed',
  'ReminderDismissed',
  'Renamed',
  'StageAdded',
  'StageRenamed',
  'StagesReordered',
  'StageRemoved',
]);

function split(type: string): { kind: string; suffix: string } | undefined {
  const kind = KINDS.find((k) => type.startsWith(k));
  return kind ? { kind, suffix: type.slice(kind.length) } : undefined;
}

/** Does the timeline know how to describe this event type? (Unknown types are ignored.) */
export function isDescribed(type: string): boolean {
  const s = split(type);
  return s !== undefined && SUFFIXES.has(s.suffix) && type !== 'ContactForgotten';
}

type Data = Record<string, unknown>;
type ChangeSet = Record<string, { from: unknown; to: unknown }>;

/** The names an event sets (record names, contact name parts, stage names, custom field labels). */
export function nameUpdates(e: StoredEvent, names: Names): [string, string][] {
  const d = (e.event.data ?? {}) as Data;
  const changes = (d.changes ?? {}) as ChangeSet;
  const key = recordKey(e.aggregateType, e.streamId);
  const created = /(Created|Logged)$/.test(e.event.type);
  const value = (field: string): unknown => (created ? d[field] : changes[field]?.to);
  const out: [string, string][] = [];
  const set = (k: string, v: unknown) => {
    if (typeof v === 'string') out.push([k, v]);
  };
  switch (e.aggregateType) {
    case 'contact': {
      const first = value('firstName');
      const last = value('lastName');
      if (first === undefined && last === undefined) break;
      const f = typeof first === 'string' ? first : (own(names, `${key}#first`) ?? '');
      const l = last === undefined ? (own(names, `${key}#last`) ?? '') : typeof last === 'string' ? last : '';
      out.push([`${key}#first`, f], [`${key}#last`, l], [key, [f, l].filter(Boolean).join(' ')]);
      break;
    }
    case 'company':
      set(key, value('name'));
      break;
    case 'deal':
    case 'task':
      set(key, value('title'));
      break;
    case 'note': {
      const body = value('body');
      if (typeof body === 'string') set(key, clip(body.replace(/\s+/g, ' '), 60));
      break;
    }
    case 'activity': {
      const summary = value('summary');
      if (typeof summary === 'string') set(key, clip(summary.replace(/\s+/g, ' '), 60));
      break;
    }
    case 'pipeline':
      if (e.event.type === 'PipelineCreated') {
        set(key, d.name);
        for (const s of (d.stages ?? []) as { stageId: string; name: string }[]) {
          set(`stage:${e.streamId}/${s.stageId}`, s.name);
        }
      } else if (e.event.type === 'PipelineRenamed') set(key, (d.name as { to?: unknown })?.to);
      else if (e.event.type === 'PipelineStageAdded') set(`stage:${e.streamId}/${String(d.stageId)}`, d.name);
      else if (e.event.type === 'PipelineStageRenamed') {
        set(`stage:${e.streamId}/${String(d.stageId)}`, (d.name as { to?: unknown })?.to);
      }
      break;
    case 'custom-fields':
      if (e.event.type === 'CustomFieldDefined') set(`field:${e.streamId}/${String(d.fieldId)}`, d.label);
      else if (e.event.type === 'CustomFieldRenamed') {
        set(`field:${e.streamId}/${String(d.fieldId)}`, (d.label as { to?: unknown })?.to);
      }
      break;
  }
  return out;
}

/** Drops every name of a record (a forgotten contact: its name and name parts). */
export function forgetNames(names: Names, key: string): void {
  for (const k of [key, `${key}#first`, `${key}#last`]) delete names[k];
}

function recordName(names: Names, key: string): string {
  const name = own(names, key);
  if (name !== undefined) return `“${name}”`;
  return key.startsWith('contact:') ? 'a forgotten contact' : `“${key.slice(key.indexOf(':') + 1)}”`;
}

/** A field's value as text, with ids named. */
function valueText(
  field: string,
  value: unknown,
  names: Names,
  entry: DescribableEntry,
  pipelineId?: unknown,
): string {
  if (isBlank(value)) return 'none';
  switch (field) {
    case 'companyId':
      return formatValue(value, (id) => recordName(names, recordKey('company', id)));
    case 'contactIds':
      return formatValue(value, (id) => recordName(names, recordKey('contact', id)));
    case 'pipelineId':
      return formatValue(value, (id) => recordName(names, recordKey('pipeline', id)));
    case 'stageId': {
      const pid = typeof pipelineId === 'string' ? pipelineId : entry.pipelineId;
      return formatValue(value, (id) => own(names, `stage:${pid}/${id}`) ?? id);
    }
    case 'stageIds':
      return formatValue(
        value,
        (id) => own(names, `stage:${entry.src.slice('pipeline:'.length)}/${id}`) ?? id,
      );
    case 'link': {
      const l = value as { kind: string; id: string };
      return `${l.kind} ${recordName(names, recordKey(l.kind, l.id))}`;
    }
    case 'body':
    case 'summary':
    case 'description':
      return typeof value === 'string' ? `“${clip(value.replace(/\s+/g, ' '), 80)}”` : formatValue(value);
    default:
      return formatValue(value);
  }
}

function customLabel(names: Names, entry: DescribableEntry, fieldId: string): string {
  return own(names, `field:${entry.src.slice(0, entry.src.indexOf(':'))}/${fieldId}`) ?? fieldId;
}

function changeLines(entry: DescribableEntry, names: Names): string[] {
  const d = (entry.data ?? {}) as Data;
  const lines: string[] = [];
  const pid = (d.changes as { pipelineId?: { from: unknown; to: unknown } } | undefined)?.pipelineId;
  for (const [field, c] of Object.entries((d.changes ?? {}) as ChangeSet)) {
    const from = valueText(field, c.from, names, entry, pid?.from);
    const to = valueText(field, c.to, names, entry, pid?.to);
    lines.push(`${fieldLabel(field)}: ${from} -> ${to}`);
  }
  for (const [fieldId, c] of Object.entries((d.customFields ?? {}) as ChangeSet)) {
    lines.push(`${customLabel(names, entry, fieldId)}: ${formatValue(c.from)} -> ${formatValue(c.to)}`);
  }
  return lines;
}

function createdLines(entry: DescribableEntry, names: Names): string[] {
  const lines: string[] = [];
  for (const [field, value] of Object.entries((entry.data ?? {}) as Data)) {
    if (isBlank(value)) continue;
    if (field === 'customFields') {
      for (const [fieldId, v] of Object.entries(value as Data)) {
        lines.push(`${customLabel(names, entry, fieldId)}: ${formatValue(v)}`);
      }
    } else if (field === 'stages') {
      lines.push(`Stages: ${(value as { name: string }[]).map((s) => s.name).join(', ')}`);
    } else lines.push(`${fieldLabel(field)}: ${valueText(field, value, names, entry)}`);
  }
  return lines;
}

/**
 * The description of an undo (`'undo'`) or a redo (the undo of an undo): what it took back, with its own change
 * lines (`Undid: Edited contact “Ana”`, `Title: CEO -> CTO`). `original` is missing when the undone entry is
 * gone from the timeline (erased with a forgotten contact).
 */
export function describeUndo(
  what: 'undo' | 'redo',
  original: Described | undefined,
  own: Described,
): Described {
  const verb = what === 'undo' ? 'Undid' : 'Redid';
  return {
    summary: original ? `${verb}: ${original.summary}` : `${verb} an earlier change`,
    lines: own.lines,
  };
}

/** Describes a stored entry with the current names. */
export function describeEntry(entry: DescribableEntry, names: Names): Described {
  const s = split(entry.type) ?? { kind: '', suffix: entry.type };
  const d = (entry.data ?? {}) as Data;
  const kind = entry.src.slice(0, entry.src.indexOf(':'));
  const subject = `${kind === 'activity' ? String(d.kind ?? 'activity') : kind} ${recordName(names, entry.src)}`;
  const other = (field: string) => recordName(names, recordKey('contact', String(d[field])));
  const stage = (id: unknown) =>
    own(names, `stage:${entry.src.slice('pipeline:'.length)}/${String(id)}`) ?? String(id);
  const lifecycle = LIFECYCLE[s.suffix];
  if (lifecycle) return { summary: `${lifecycle}: ${subject}`, lines: [] };
  switch (s.suffix) {
    case 'Created':
    case 'Logged':
      return {
        summary: `${s.suffix === 'Logged' ? 'Logged' : 'Created'} ${subject}`,
        lines: createdLines(entry, names),
      };
    case 'Updated':
    case 'Edited':
      return { summary: `Edited ${subject}`, lines: changeLines(entry, names) };
    case 'MergedInto':
      return { summary: `Merged ${subject} into ${other('targetId')}`, lines: [] };
    case 'MergedFrom':
      return { summary: `Merged ${other('sourceId')} into ${subject}`, lines: changeLines(entry, names) };
    case 'Unmerged':
      return { summary: `Unmerged ${subject} from ${other('targetId')}`, lines: [] };
    case 'UnmergedFrom': {
      const kept = (d.kept ?? []) as string[];
      const lines = changeLines(entry, names);
      if (kept.length > 0) lines.push(`Kept (changed since the merge): ${kept.map(fieldLabel).join(', ')}`);
      return { summary: `Unmerged ${other('sourceId')} from ${subject}`, lines };
    }
    case 'StageChanged':
      return {
        summary: d.cause === 'stage-removed' ? `Moved ${subject}: its stage was removed` : `Moved ${subject}`,
        lines: changeLines(entry, names),
      };
    case 'Won':
      return { summary: `Won ${subject}`, lines: [`Closed on: ${String(d.date)}`] };
    case 'Lost':
      return {
        summary: `Lost ${subject}`,
        lines: [`Closed on: ${String(d.date)}`, `Reason: ${String(d.reason)}`],
      };
    case 'Reopened':
      return { summary: `Reopened ${subject}`, lines: d.from ? [`Was: ${String(d.from)}`] : [] };
    case 'Completed':
      return { summary: `Completed ${subject}`, lines: [] };
    case 'Rescheduled': {
      const due = d.due as { from: unknown; to: unknown };
      return {
        summary: `Rescheduled ${subject}`,
        lines: [`Due: ${formatValue(due.from)} -> ${formatValue(due.to)}`],
      };
    }
    case 'ReminderSnoozed':
      return { summary: `Snoozed the reminder of ${subject}`, lines: [`Until: ${formatValue(d.until)}`] };
    case 'ReminderDismissed':
      return { summary: `Dismissed the reminder of ${subject}`, lines: [] };
    case 'Renamed': {
      const name = d.name as { from: unknown; to: unknown };
      return {
        summary: `Renamed ${subject}`,
        lines: [`Name: ${formatValue(name.from)} -> ${formatValue(name.to)}`],
      };
    }
    case 'StageAdded':
      return {
        summary: `Added stage “${String(d.name)}” to ${subject}`,
        lines: [`Position: ${Number(d.position) + 1}`],
      };
    case 'StageRenamed': {
      const name = d.name as { from: unknown; to: unknown };
      return {
        summary: `Renamed a stage of ${subject}`,
        lines: [`Stage: ${formatValue(name.from)} -> ${formatValue(name.to)}`],
      };
    }
    case 'StagesReordered': {
      const order = d.order as { from: unknown[]; to: unknown[] };
      const text = (ids: unknown[]) => ids.map(stage).join(', ');
      return {
        summary: `Reordered the stages of ${subject}`,
        lines: [`Stages: ${text(order.from)} -> ${text(order.to)}`],
      };
    }
    case 'StageRemoved':
      return {
        summary: `Removed stage “${String(d.name)}” from ${subject}`,
        lines: [`Deals moved to: ${stage(d.reassignTo)}`],
      };
    default:
      return { summary: `${entry.type}: ${subject}`, lines: [] };
  }
}
