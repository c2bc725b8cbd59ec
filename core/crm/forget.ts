/**
 * Erasure on request (personal data laws): a contact and its notes, activities and tasks are removed from the data
 * folder for good: their streams (logs, snapshots, archives) are deleted, every read model is rebuilt from the
 * remaining logs (so checkpoints no longer hold them), and the contact's stream is replaced by a tombstone, one
 * `ContactForgotten` event without personal data, so links to it still resolve to "forgotten"; deals are unlinked
 * from it by a process manager. One log per record makes this a deletion, not a rewrite of anybody else's history.
 *
 * Merged contacts (merge.ts) are the same person in two streams, and a merge copies the duplicate's fields
 * (names, e-mails, phones...) into the kept contact's log:
 * - forgetting the kept contact also forgets every contact merged into it (transitively: a duplicate of a
 *   duplicate too), with their notes, activities and tasks; each gets its own tombstone;
 * - forgetting a duplicate that is still merged is refused (`FORGET_MERGED_CONTACT`): its data is part of the kept
 *   contact's history, which only forgetting the kept contact erases. The user forgets the kept contact instead,
 *   or, when the two are different people after all, unmerges them first;
 * - forgetting a contact that was merged into another one and unmerged since: its data is still in the other
 *   contact's log (the merge and unmerge events, and any later event that still carried a copied value). That log
 *   is then rebuilt without it: the stream is deleted and written again with the same events (same ids, times
 *   and authors) minus the merge and unmerge of the forgotten contact, every value copied from it removed from the
 *   rest (a copied e-mail the user kept after the unmerge goes too: it is the forgotten person's). The same for a
 *   contact that absorbed that one later, and so on. Logs are append-only, so this is the one way to take
 *   somebody's data out of another record's history; the other contact keeps everything that was its own.
 * Tasks, notes and activities that were ever linked to a forgotten contact are erased with it, also those a merge
 * moved to the kept contact and an unmerge left there (and those unlinked since); not those moved on to another
 * record that never absorbed it.
 *
 * The contract's `ForgetContact` saves its plan (`forget-pending.json` in the data folder: ids, and the new logs
 * of the other contacts, none of the forgotten person's data) before it deletes anything, and deletes it when it
 * is done; a forget cut short by a crash is finished when the data folder is opened again, so a log deleted to be
 * written again is never lost and no copy is left behind.
 *
 * Not covered: free text about the person written into another record (a note on someone else saying "called
 * Ana") cannot be told apart from the rest and stays; and a copy of the data folder on another device or in a
 * backup is that copy's business (exports in `exports/` are rewritten, see data-export.ts).
 * @module
 */
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DomainError, type AggregateStore } from '../es/index.js';
import { fsyncDir, type Event } from '../log/index.js';
import { contactAggregate, idSchema, own, sameValue, type ContactState } from './domain/index.js';
import { extensionCommand, type CrmExtension, type CrmRuntime } from './extension.js';
import { linkedTo, linkIndexProjection, type LinkIndexState } from './link-index.js';
import { mergeHistoryProjection, type MergeHistoryState } from './merge-history.js';

/** Input of the contract's `ForgetContact`. */
export const forgetContactInput = z.object({ id: idSchema }).strict();

/** What was erased. */
export interface ForgetResult {
  id: string;
  /**
   * The other streams deleted with it (`type/id`): the contacts merged into it (now tombstones too) and the
   * tasks, notes and activities of them all.
   */
  erased: string[];
  /** The contacts (`contact/id`) whose history was written again without the forgotten person's data. */
  rewritten: string[];
}

/** The contact fields that hold personal data (tags, owner and company are not the person's). */
const PERSONAL_SCALARS = ['firstName', 'lastName', 'title'] as const;
const PERSONAL_LISTS = ['emails', 'phones'] as const;
const MERGE_EVENTS = new Set(['ContactMergedFrom', 'ContactUnmergedFrom']);

type Data = Record<string, unknown>;
type ChangeSet = Record<string, { from: unknown; to: unknown } | undefined>;

function key(value: string): string {
  return value.trim().toLowerCase();
}

function changesOf(data: unknown, field: 'changes' | 'customFields'): ChangeSet {
  const d = data as Data | null;
  const c = d && typeof d === 'object' ? d[field] : undefined;
  return c && typeof c === 'object' ? (c as ChangeSet) : {};
}

/** Every personal value (lower case) in a contact's log: its own, and those it absorbed by merges. */
function personalValues(events: readonly Event[]): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (typeof v === 'string' && v.trim() !== '') out.add(key(v));
    else if (Array.isArray(v)) for (const x of v) add(x);
  };
  for (const e of events) {
    if (e.type === 'ContactCreated') {
      const d = e.data as Data;
      for (const f of [...PERSONAL_SCALARS, ...PERSONAL_LISTS]) add(d[f]);
      for (const v of Object.values((d.customFields ?? {}) as Data)) add(v);
      continue;
    }
    const changes = changesOf(e.data, 'changes');
    for (const f of [...PERSONAL_SCALARS, ...PERSONAL_LISTS]) {
      const c = own(changes, f);
      if (c) [c.from, c.to].forEach(add);
    }
    for (const c of Object.values(changesOf(e.data, 'customFields'))) if (c) [c.from, c.to].forEach(add);
  }
  return out;
}

/** The values (lower case) that merges of `sources` copied into a log: what they added, not what was there. */
function copiedValues(events: readonly Event[], sources: ReadonlySet<string>): Set<string> {
  const out = new Set<string>();
  for (const e of events) {
    if (e.type !== 'ContactMergedFrom' || !sources.has(String((e.data as Data).sourceId))) continue;
    const changes = changesOf(e.data, 'changes');
    for (const f of PERSONAL_SCALARS) {
      const to = own(changes, f)?.to;
      if (typeof to === 'string' && to.trim() !== '') out.add(key(to));
    }
    for (const f of PERSONAL_LISTS) {
      const c = own(changes, f);
      if (!c || !Array.isArray(c.to)) continue;
      const before = new Set((Array.isArray(c.from) ? c.from : []).map((v) => key(String(v))));
      for (const v of c.to) if (typeof v === 'string' && !before.has(key(v))) out.add(key(v));
    }
    for (const c of Object.values(changesOf(e.data, 'customFields'))) {
      if (typeof c?.to === 'string' && c.to.trim() !== '') out.add(key(c.to));
    }
  }
  return out;
}

/** `value` without the values of `gone`: a list filtered, a matching string emptied (`''` or `null`). */
function scrubValue(value: unknown, gone: ReadonlySet<string>, empty: '' | null): unknown {
  if (typeof value === 'string') return gone.has(key(value)) ? empty : value;
  if (Array.isArray(value)) return value.filter((v) => typeof v !== 'string' || !gone.has(key(v)));
  return value;
}

function scrubChanges(changes: ChangeSet, gone: ReadonlySet<string>, personal: readonly string[]): ChangeSet {
  const out: ChangeSet = {};
  for (const [field, c] of Object.entries(changes)) {
    if (!c) continue;
    if (!personal.includes(field)) {
      out[field] = c;
      continue;
    }
    const empty = field === 'firstName' ? '' : null;
    const next = { from: scrubValue(c.from, gone, empty), to: scrubValue(c.to, gone, empty) };
    if (!sameValue(next.from, next.to)) out[field] = next;
  }
  return out;
}

/**
 * A contact's log without the forgotten contacts' data: their merges and unmerges dropped, the values in `gone`
 * removed from every other event; an update that changed nothing else is dropped.
 */
function scrubbedLog(
  events: readonly Event[],
  forgotten: ReadonlySet<string>,
  gone: ReadonlySet<string>,
): Event[] {
  const personal = [...PERSONAL_SCALARS, ...PERSONAL_LISTS] as string[];
  const out: Event[] = [];
  for (const e of events) {
    const data = e.data as Data | null;
    if (MERGE_EVENTS.has(e.type) && forgotten.has(String(data?.sourceId))) continue;
    if (e.type === 'ContactCreated' && data) {
      const next: Data = { ...data };
      for (const f of personal) next[f] = scrubValue(data[f], gone, f === 'firstName' ? '' : null);
      next.customFields = Object.fromEntries(
        Object.entries((data.customFields ?? {}) as Data).filter(
          ([, v]) => typeof v !== 'string' || !gone.has(key(v)),
        ),
      );
      out.push({ ...e, data: next });
      continue;
    }
    if (e.type === 'ContactUpdated' || MERGE_EVENTS.has(e.type)) {
      const changes = scrubChanges(changesOf(data, 'changes'), gone, personal);
      const custom = Object.keys(changesOf(data, 'customFields'));
      const customFields = scrubChanges(changesOf(data, 'customFields'), gone, custom);
      if (
        e.type === 'ContactUpdated' &&
        Object.keys(changes).length === 0 &&
        Object.keys(customFields).length === 0
      )
        continue;
      const next: Data = { ...data, changes };
      if (data && Object.hasOwn(data, 'customFields')) next.customFields = customFields;
      out.push({ ...e, data: next });
      continue;
    }
    out.push(e);
  }
  return out;
}

/** The refusal to forget a duplicate that is merged into another contact. */
function mergedRefusal(id: string, targetId: string): DomainError {
  return new DomainError(
    'FORGET_MERGED_CONTACT',
    `Contact ${id} is merged into contact ${targetId}, so its personal data is also in that contact's history. ` +
      `Forget contact ${targetId} instead (this erases both, with their notes, activities and tasks), or, if they ` +
      'are different people, unmerge them first and then forget this one.',
    { id, targetId },
  );
}

async function contactState(store: AggregateStore, id: string): Promise<ContactState> {
  return store.get(contactAggregate, id).state();
}

/**
 * What a forget will do, worked out before anything is deleted (ids, and the hosts' new logs: no data of the
 * forgotten person).
 */
export interface ForgetPlan {
  id: string;
  /** The contacts forgotten: `id` first, then those merged into it. */
  people: string[];
  /** Their tasks, notes and activities (`type/id`). */
  linked: string[];
  /** The other contacts' logs written again without their data. */
  rewrites: { id: string; events: Event[] }[];
}

/**
 * Works out how to forget contact `id` (see the module comment); `null` when it is forgotten already.
 * @throws DomainError NOT_FOUND when there is no such contact; FORGET_MERGED_CONTACT when it is merged into
 *   another contact (forget that one instead, or unmerge first).
 */
export async function planForget(store: AggregateStore, id: string): Promise<ForgetPlan | null> {
  if (!store.has(contactAggregate.type, id))
    throw new DomainError('NOT_FOUND', `There is no contact ${id}.`, { id });
  const state = await contactState(store, id);
  if (state.forgotten) return null;
  if (state.mergedInto !== null) throw mergedRefusal(id, state.mergedInto);
  await store.awaitProjections();
  const history = store.projection<MergeHistoryState>(mergeHistoryProjection).state;
  const links = store.projection<LinkIndexState>(linkIndexProjection).state;

  // The person: the contact and every contact merged into it, transitively (both sides' records, for a merge
  // whose second half was left undone).
  const people = [id];
  for (let i = 0; i < people.length; i++) {
    const c = people[i]!;
    const s = await contactState(store, c);
    const sources = [
      ...Object.keys(s.merges),
      ...Object.entries(history.mergedInto)
        .filter(([, target]) => target === c)
        .map(([source]) => source),
    ];
    for (const source of sources) {
      if (people.includes(source) || !store.has(contactAggregate.type, source)) continue;
      if ((await contactState(store, source)).forgotten) continue;
      people.push(source);
    }
  }
  const forgotten = new Set(people);
  const gone = new Set<string>();
  for (const c of people)
    for (const v of personalValues(await store.readEvents(contactAggregate.type, c))) gone.add(v);

  // The other contacts holding a copy: those that absorbed one of them (and were unmerged since), and those
  // that absorbed one of those later.
  const hosts: string[] = [];
  const queue = [...people];
  for (let i = 0; i < queue.length; i++) {
    for (const target of own(history.absorbedBy, queue[i]!) ?? []) {
      if (forgotten.has(target) || hosts.includes(target) || !store.has(contactAggregate.type, target))
        continue;
      hosts.push(target);
      queue.push(target);
    }
  }

  const linked = new Set<string>();
  for (const c of people) {
    for (const r of linkedTo(links, contactAggregate.type, c)) linked.add(`${r.type}/${r.id}`);
    for (const k of own(history.everLinked, c) ?? []) {
      if (!store.has(...splitKey(k))) continue;
      // One the user moved on to another record is that record's now; one a merge moved is still the person's.
      const now = own(links.links, k);
      if (now && !(now.kind === contactAggregate.type && (forgotten.has(now.id) || hosts.includes(now.id))))
        continue;
      linked.add(k);
    }
  }

  const sources = new Set([...people, ...hosts]);
  const rewrites: ForgetPlan['rewrites'] = [];
  for (const h of hosts) {
    const events = await store.readEvents(contactAggregate.type, h);
    const copied = copiedValues(events, sources);
    const hostGone = new Set([...copied].filter((v) => gone.has(v)));
    const next = scrubbedLog(events, forgotten, hostGone);
    if (sameValue(next, events)) continue;
    // Positions and command ids are the store's to give; `injected`: process managers reacted the first time.
    rewrites.push({ id: h, events: next.map(withoutStoreMeta) });
  }
  return { id, people, linked: [...linked], rewrites };
}

/** An event without what the store writes on append (position, command id, `injected`). */
function withoutStoreMeta(e: Event): Event {
  const meta = { ...e.meta };
  for (const k of ['seq', 'command_id', 'injected']) delete meta[k];
  return { ...e, meta };
}

function splitKey(key: string): [string, string] {
  return [key.slice(0, key.indexOf('/')), key.slice(key.indexOf('/') + 1)];
}

/**
 * Carries out a plan of {@link planForget}. Idempotent, so that a forget cut short (crash, power cut) is finished
 * by running it again: deleted streams stay deleted, a tombstone is written once, a log written again is written
 * again from the start unless it is complete.
 */
export async function applyForget(
  store: AggregateStore,
  plan: ForgetPlan,
  actor: string,
): Promise<ForgetResult> {
  const type = contactAggregate.type;
  for (const k of plan.linked) if (store.has(...splitKey(k))) await store.destroyStream(...splitKey(k));
  for (const c of plan.people) {
    if (store.has(type, c)) {
      if ((await contactState(store, c)).forgotten) continue;
      await store.destroyStream(type, c);
    }
    // Process managers react to the tombstone (it happened here, not on another device): the deals that point
    // at the contact are unlinked (trash.ts `dealUnlink`).
    await store.injectEvent(
      contactAggregate,
      c,
      { type: 'ContactForgotten', data: null, ts: Math.floor(Date.now() / 1000), actor },
      { runProcessManagers: true },
    );
  }
  for (const r of plan.rewrites) {
    if (store.has(type, r.id)) {
      // Written again already (the same events, scrubbed): done.
      const current = (await store.readEvents(type, r.id)).map(withoutStoreMeta);
      if (sameValue(current, r.events)) continue;
      await store.destroyStream(type, r.id);
    }
    for (const e of r.events) await store.injectEvent(contactAggregate, r.id, e);
  }
  for (const name of store.projectionNames()) await store.rebuildProjection(name);
  await store.runProcessManagers();
  await store.awaitProjections();
  await store.flush();
  return {
    id: plan.id,
    erased: [...plan.people.slice(1).map((c) => `${type}/${c}`), ...plan.linked],
    rewritten: plan.rewrites.map((r) => `${type}/${r.id}`),
  };
}

/**
 * Forgets contact `id` (see the module comment). Idempotent: forgetting a forgotten contact changes nothing.
 * The contract's `ForgetContact` also keeps the plan on disk until it is done (see {@link forgetExtension}).
 * @throws DomainError NOT_FOUND when there is no such contact; FORGET_MERGED_CONTACT when it is merged into
 *   another contact (forget that one instead, or unmerge first).
 */
export async function forgetContact(store: AggregateStore, id: string, actor: string): Promise<ForgetResult> {
  const plan = await planForget(store, id);
  if (!plan) return { id, erased: [], rewritten: [] };
  return applyForget(store, plan, actor);
}

/**
 * The file holding the plan of a forget under way (`<dataDir>/forget-pending.json`), deleted once it is done; one
 * left by a crash is finished when the data folder is opened again.
 */
export const FORGET_PENDING_FILE = 'forget-pending.json';

/** Writes the plan durably (temporary file, fsync, rename, fsync of the folder). */
export function savePendingForget(dataDir: string, plan: ForgetPlan & { actor: string }): void {
  const file = join(dataDir, FORGET_PENDING_FILE);
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, JSON.stringify(plan));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dataDir);
}

async function runForget(rt: CrmRuntime, plan: ForgetPlan, actor: string): Promise<ForgetResult> {
  const result = await applyForget(rt.store, plan, actor);
  // Data kept outside the logs (attachments, exports...) is erased by the feature that keeps it.
  for (const e of rt.extensions) if (e.onForget) await e.onForget(rt, result);
  rmSync(join(rt.dataDir, FORGET_PENDING_FILE), { force: true });
  fsyncDir(rt.dataDir);
  return result;
}

/** Finishes a forget cut short, if `<dataDir>/forget-pending.json` says there is one. */
export async function resumePendingForget(rt: CrmRuntime): Promise<ForgetResult | null> {
  const file = join(rt.dataDir, FORGET_PENDING_FILE);
  rmSync(`${file}.tmp`, { force: true });
  if (!existsSync(file)) return null;
  const { actor, ...plan } = JSON.parse(readFileSync(file, 'utf8')) as ForgetPlan & { actor: string };
  await rt.store.ready(); // every read model must see the erasure
  return runForget(rt, plan, actor);
}

/** `ForgetContact`, as a command of the contract; a forget cut short is finished when the backend opens. */
export const forgetExtension: CrmExtension = {
  commands: {
    ForgetContact: extensionCommand(forgetContactInput, async (rt, input) => {
      const plan = await planForget(rt.store, input.id);
      if (!plan) return { id: input.id, erased: [], rewritten: [] } satisfies ForgetResult;
      savePendingForget(rt.dataDir, { ...plan, actor: rt.actor });
      return runForget(rt, plan, rt.actor);
    }),
  },
  onOpen: async (rt) => {
    await resumePendingForget(rt);
  },
};
