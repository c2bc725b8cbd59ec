/**
 * The CRM's process managers: automated follow-ups to events. Their commands carry a `system:<name>` actor and
 * the triggering event as causation id (core/es does that), so the timeline says what made each change and why.
 * @module
 */
import type { CommandEnvelope, ProcessManager, StoredEvent } from '../es/index.js';
import { CONTACT, DEAL, PIPELINE, TASK, NOTE, ACTIVITY } from './domain/index.js';

type Data = Record<string, unknown>;
const dataOf = (e: StoredEvent): Data => (e.event.data ?? {}) as Data;
const changeTo = (d: Data, field: string): unknown =>
  (d.changes as Record<string, { to?: unknown }> | undefined)?.[field]?.to;

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Deal titles, for naming follow-up tasks. */
export interface FollowUpState {
  titles: Record<string, string>;
  /** Deals that already got their follow-up task. */
  done?: Record<string, true>;
}

/**
 * Deal won -> a follow-up task `follow-up-<deal id>` linked to the deal, due `afterDays` days after the win.
 * Winning, reopening and winning again does not make a second task (the id is derived from the deal, and the
 * process manager remembers the deals it followed up).
 */
export function dealFollowUp(afterDays = 7): ProcessManager<FollowUpState> {
  return {
    name: 'crm-deal-follow-up',
    subscriptions: [DEAL],
    initialState: () => ({ titles: {} }),
    react(state, e) {
      const d = dataOf(e);
      if (e.event.type === 'DealCreated' && typeof d.title === 'string') state.titles[e.streamId] = d.title;
      const title = changeTo(d, 'title');
      if (e.event.type === 'DealUpdated' && typeof title === 'string') state.titles[e.streamId] = title;
      if (e.event.type !== 'DealWon' || state.done?.[e.streamId]) return { state, commands: [] };
      (state.done ??= {})[e.streamId] = true;
      const name = Object.hasOwn(state.titles, e.streamId) ? state.titles[e.streamId] : e.streamId;
      const command: CommandEnvelope = {
        aggregateType: TASK,
        instanceId: `follow-up-${e.streamId}`,
        command: {
          type: 'CreateTask',
          title: `Follow up on "${name}"`,
          link: { kind: 'deal', id: e.streamId },
          due: { date: addDays(String(d.date), afterDays) },
        },
      };
      return { state, commands: [command] };
    },
  };
}

/** Where each deal is, to find the deals of a removed stage. */
export interface StageRemovalState {
  placement: Record<string, { pipelineId: string; stageId: string }>;
}

/** Pipeline stage removed -> every deal in it is moved to the stage the removal names (`reassignTo`). */
export const stageRemoval: ProcessManager<StageRemovalState> = {
  name: 'crm-stage-removal',
  subscriptions: [DEAL, PIPELINE],
  initialState: () => ({ placement: {} }),
  react(state, e) {
    const d = dataOf(e);
    if (e.event.type === 'DealCreated') {
      state.placement[e.streamId] = { pipelineId: String(d.pipelineId), stageId: String(d.stageId) };
    } else if (e.event.type === 'DealStageChanged') {
      const p = state.placement[e.streamId];
      if (p) {
        const pipelineId = changeTo(d, 'pipelineId');
        const stageId = changeTo(d, 'stageId');
        if (typeof pipelineId === 'string') p.pipelineId = pipelineId;
        if (typeof stageId === 'string') p.stageId = stageId;
      }
    } else if (e.event.type === 'PipelineStageRemoved') {
      const commands: CommandEnvelope[] = Object.entries(state.placement)
        .filter(([, p]) => p.pipelineId === e.streamId && p.stageId === d.stageId)
        .map(([dealId]) => ({
          aggregateType: DEAL,
          instanceId: dealId,
          command: { type: 'ReassignDealStage', removedStageId: d.stageId, stageId: d.reassignTo },
        }));
      return { state, commands };
    }
    return { state, commands: [] };
  },
};

/** Which records point at which contact. */
export interface RepointState {
  dealContacts: Record<string, string[]>;
  links: Record<string, { kind: string; id: string }>;
}

const LINKED: Record<string, { created: string; edited: string; edit: string }> = {
  [TASK]: { created: 'TaskCreated', edited: 'TaskUpdated', edit: 'UpdateTask' },
  [NOTE]: { created: 'NoteCreated', edited: 'NoteEdited', edit: 'EditNote' },
  [ACTIVITY]: { created: 'ActivityLogged', edited: 'ActivityEdited', edit: 'EditActivity' },
};

/**
 * Contacts merged -> the duplicate's deals, tasks, notes and activities are re-pointed to the kept contact.
 * (An unmerge leaves them with the kept contact: they may have changed since; the user moves them back.)
 */
export const mergeRepoint: ProcessManager<RepointState> = {
  name: 'crm-merge-repoint',
  subscriptions: [CONTACT, DEAL, TASK, NOTE, ACTIVITY],
  initialState: () => ({ dealContacts: {}, links: {} }),
  react(state, e) {
    const d = dataOf(e);
    const key = `${e.aggregateType}/${e.streamId}`;
    if (e.event.type === 'DealCreated')
      state.dealContacts[e.streamId] = (d.contactIds as string[] | undefined) ?? [];
    const contactIds = changeTo(d, 'contactIds');
    if (e.event.type === 'DealUpdated' && Array.isArray(contactIds))
      state.dealContacts[e.streamId] = contactIds as string[];
    const linked = LINKED[e.aggregateType];
    if (linked && (e.event.type === linked.created || e.event.type === linked.edited)) {
      const link = (e.event.type === linked.created ? d.link : changeTo(d, 'link')) as
        { kind: string; id: string } | null | undefined;
      if (link) state.links[key] = link;
      else if (link === null) delete state.links[key];
    }
    if (e.event.type !== 'ContactMergedInto') return { state, commands: [] };
    const from = e.streamId;
    const to = String(d.targetId);
    const commands: CommandEnvelope[] = [];
    for (const [dealId, ids] of Object.entries(state.dealContacts)) {
      if (!ids.includes(from)) continue;
      const next = [...new Set(ids.map((c) => (c === from ? to : c)))];
      commands.push({
        aggregateType: DEAL,
        instanceId: dealId,
        command: { type: 'UpdateDeal', fields: { contactIds: next } },
      });
    }
    for (const [k, link] of Object.entries(state.links)) {
      if (link.kind !== CONTACT || link.id !== from) continue;
      const [kind, id] = [k.slice(0, k.indexOf('/')), k.slice(k.indexOf('/') + 1)];
      const edit = LINKED[kind]!.edit;
      commands.push({
        aggregateType: kind,
        instanceId: id,
        command: { type: edit, fields: { link: { kind: CONTACT, id: to } } },
      });
    }
    return { state, commands };
  },
};

/** Every CRM workflow, with default settings. */
export function crmWorkflows(): ProcessManager[] {
  return [dealFollowUp(), stageRemoval, mergeRepoint] as ProcessManager[];
}
