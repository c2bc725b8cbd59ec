/**
 * `RevertImport`: takes a whole import back as one operation (one correlation id), by appending events: the
 * records it created go to the trash, the field values it overwrote are put back (from its `{from, to}` change
 * events), unless they were changed again since. History stays whole; reverting twice is a no-op.
 * @module
 */
import { z } from 'zod';
import { DomainError, type CommandContext } from '../../es/index.js';
import { revertible, type Change } from '../domain/changes.js';
import {
  companyAggregate,
  contactAggregate,
  idSchema,
  type CompanyState,
  type ContactState,
} from '../domain/index.js';
import type { CrmRuntime } from '../extension.js';
import {
  IMPORT_META_KEY,
  importAggregate,
  importedStreams,
  importsProjection,
  REVERT_META_KEY,
  type RevertCounts,
} from './import-log.js';

/** Input of `RevertImport`. */
export const revertImportInput = z.object({ importId: idSchema }).strict();

/** The result of `RevertImport`. */
export interface RevertResult extends RevertCounts {
  importId: string;
  /** The import had been reverted before: nothing was done this time. */
  alreadyReverted: boolean;
}

/** Per record kind: the commands that trash a record and edit its fields. */
const KINDS: Record<string, { trash: string; update?: string }> = {
  contact: { trash: 'TrashContact', update: 'UpdateContact' },
  company: { trash: 'TrashCompany', update: 'UpdateCompany' },
  note: { trash: 'TrashNote' },
};

type ChangeSet = Record<string, Change<unknown>>;

/** Several change sets as one: each field from its first `from` to its last `to`. */
function compose(sets: readonly (ChangeSet | undefined)[]): ChangeSet {
  const out: ChangeSet = {};
  for (const set of sets) {
    for (const [field, change] of Object.entries(set ?? {})) {
      out[field] = { from: Object.hasOwn(out, field) ? out[field]!.from : change.from, to: change.to };
    }
  }
  return out;
}

/** What an import did to one record: created (or restored) it, or changed these fields. */
interface Touch {
  type: string;
  id: string;
  created: boolean;
  changes: ChangeSet;
  customFields: ChangeSet;
}

async function touchOf(rt: CrmRuntime, stream: string, importId: string): Promise<Touch | null> {
  const slash = stream.indexOf('/');
  const type = stream.slice(0, slash);
  const id = stream.slice(slash + 1);
  // A forgotten contact's streams are gone: nothing to revert there.
  if (!Object.hasOwn(KINDS, type) || !rt.store.has(type, id)) return null;
  const mine = (await rt.store.readEvents(type, id)).filter((e) => e.meta?.[IMPORT_META_KEY] === importId);
  const created = mine.some((e) => /(Created|Restored)$/.test(e.type));
  const updates = mine
    .filter((e) => /Updated$/.test(e.type))
    .map((e) => e.data as { changes?: ChangeSet; customFields?: ChangeSet });
  return {
    type,
    id,
    created,
    changes: compose(updates.map((u) => u.changes)),
    customFields: compose(updates.map((u) => u.customFields)),
  };
}

/** Puts back the values an import overwrote on one record; returns whether anything changed and what was kept. */
async function restoreFields(
  rt: CrmRuntime,
  ctx: CommandContext,
  touch: Touch,
  importId: string,
  kept: string[],
): Promise<boolean> {
  const update = KINDS[touch.type]!.update;
  if (!update) return false;
  const aggregate = touch.type === 'contact' ? contactAggregate : companyAggregate;
  const state = (await rt.store.get(aggregate, touch.id).state()) as ContactState | CompanyState;
  const fields = revertible(state.fields as unknown as Record<string, unknown>, touch.changes);
  const currentCustom: Record<string, unknown> = Object.fromEntries(
    Object.keys(touch.customFields).map((k) => [
      k,
      Object.hasOwn(state.customFields, k) ? state.customFields[k] : null,
    ]),
  );
  const custom = revertible(currentCustom, touch.customFields);
  const label = `${touch.type}/${touch.id}`;
  kept.push(
    ...fields.kept.map((f) => `${label}.${f}`),
    ...custom.kept.map((f) => `${label}.customFields.${f}`),
  );
  const patch = Object.fromEntries(Object.entries(fields.revert).map(([k, c]) => [k, c!.to]));
  const customPatch = Object.fromEntries(Object.entries(custom.revert).map(([k, c]) => [k, c!.to]));
  if (Object.keys(patch).length === 0 && Object.keys(customPatch).length === 0) return false;
  const r = await rt.execute(
    {
      command: update,
      input: {
        id: touch.id,
        fields: patch,
        ...(Object.keys(customPatch).length > 0 ? { customFields: customPatch } : {}),
      },
      commandId: `revert:${importId}:${label}`,
    },
    ctx,
  );
  if (!r.ok) {
    kept.push(`${label} (${r.error.message})`);
    return false;
  }
  return (r.value as { events: string[] }).events.length > 0 || (r.value as { duplicate: boolean }).duplicate;
}

/** `RevertImport`: trashes what the import created and restores what it overwrote. */
export async function revertImport(rt: CrmRuntime, importId: string): Promise<RevertResult> {
  const handle = rt.store.get(importAggregate, importId);
  if ((await handle.version()) === 0)
    throw new DomainError('NOT_FOUND', `There is no import ${importId}.`, { importId });
  if ((await handle.state()).reverted)
    return { importId, alreadyReverted: true, trashed: 0, restored: 0, kept: [] };
  await rt.store.awaitProjections();
  const streams = importedStreams(rt.store.projection(importsProjection).state, importId);
  const ctx: CommandContext = { ...rt.ctx, metadata: { ...rt.ctx.metadata, [REVERT_META_KEY]: importId } };
  const touches = (await Promise.all(streams.map((s) => touchOf(rt, s, importId)))).filter(
    (t): t is Touch => t !== null,
  );
  const counts: RevertCounts = { trashed: 0, restored: 0, kept: [] };
  // Values first, then the trash: a contact put back on its old company must not point at one being trashed.
  for (const t of touches) {
    if (!t.created && (await restoreFields(rt, ctx, t, importId, counts.kept))) counts.restored++;
  }
  const order = ['note', 'contact', 'company'];
  const created = touches
    .filter((t) => t.created)
    .sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));
  for (const t of created) {
    const label = `${t.type}/${t.id}`;
    const r = await rt.execute(
      { command: KINDS[t.type]!.trash, input: { id: t.id }, commandId: `revert:${importId}:${label}:trash` },
      ctx,
    );
    if (r.ok) counts.trashed++;
    else counts.kept.push(`${label} (${r.error.message})`);
  }
  await rt.store.execute(importAggregate, importId, { type: 'MarkImportReverted', ...counts }, ctx, {
    commandId: `revert:${importId}`,
    waitForProjections: true,
  });
  return { importId, alreadyReverted: false, ...counts };
}
