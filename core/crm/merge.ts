/**
 * Merging duplicate contacts, across two streams: the kept contact absorbs the duplicate's fields
 * (`MergeContactFrom`), then the duplicate is marked merged into it (`MergeContactInto`), under one correlation
 * id. If the second half fails, the first is compensated. Unmerge reverts both halves.
 * @module
 */
import { z } from 'zod';
import { DomainError, type AggregateStore, type CommandContext } from '../es/index.js';
import { contactAggregate, idSchema, type ContactState } from './domain/index.js';
import { extensionCommand, type CrmExtension } from './extension.js';

/** Input schemas of the merge commands of the contract. */
export const MERGE_COMMANDS = {
  /** Merge `sourceId` (the duplicate) into `targetId` (kept); `prefer`: scalar fields to take from the duplicate. */
  MergeContacts: z
    .object({
      sourceId: idSchema,
      targetId: idSchema,
      prefer: z.array(z.enum(['firstName', 'lastName', 'title', 'companyId', 'owner'])).optional(),
    })
    .strict(),
  /** Undo the merge of `sourceId` into the contact it was merged into. */
  UnmergeContacts: z.object({ sourceId: idSchema }).strict(),
};

/** What a merge or unmerge did. */
export interface MergeResult {
  sourceId: string;
  targetId: string;
  position: number;
}

type Handler = (
  store: AggregateStore,
  input: Record<string, unknown>,
  ctx: CommandContext,
  commandId: string | undefined,
) => Promise<MergeResult>;

function commandIds(commandId: string | undefined): { first?: string; second?: string } {
  return commandId === undefined ? {} : { first: `${commandId}:1`, second: `${commandId}:2` };
}

async function contact(store: AggregateStore, id: string): Promise<{ state: ContactState; version: number }> {
  const h = store.get(contactAggregate, id);
  const version = await h.version();
  if (version === 0) throw new DomainError('NOT_FOUND', `There is no contact ${id}.`, { id });
  return { state: await h.state(), version };
}

const mergeContacts: Handler = async (store, input, ctx, commandId) => {
  const { sourceId, targetId, prefer } = input as { sourceId: string; targetId: string; prefer?: string[] };
  if (sourceId === targetId)
    throw new DomainError('CANNOT_MERGE_WITH_ITSELF', 'A contact cannot be merged with itself.');
  await contact(store, targetId);
  const source = (await contact(store, sourceId)).state;
  const ids = commandIds(commandId);
  const from = {
    type: 'MergeContactFrom' as const,
    sourceId,
    source: { ...source.fields, customFields: source.customFields },
    ...(prefer ? { prefer: prefer as ('firstName' | 'lastName' | 'title' | 'companyId' | 'owner')[] } : {}),
  };
  await store.execute(contactAggregate, targetId, from, ctx, ids.first ? { commandId: ids.first } : {});
  try {
    const r = await store.execute(contactAggregate, sourceId, { type: 'MergeContactInto', targetId }, ctx, {
      ...(ids.second ? { commandId: ids.second } : {}),
      waitForProjections: true,
    });
    return { sourceId, targetId, position: r.position };
  } catch (err) {
    // The duplicate refused (archived, trashed, merged meanwhile): take the first half back.
    await store.execute(contactAggregate, targetId, { type: 'UnmergeContactFrom', sourceId }, ctx, {
      waitForProjections: true,
    });
    throw err;
  }
};

const unmergeContacts: Handler = async (store, input, ctx, commandId) => {
  const { sourceId } = input as { sourceId: string };
  const source = (await contact(store, sourceId)).state;
  const targetId = source.mergedInto;
  if (targetId === null)
    throw new DomainError('NOT_MERGED', 'This contact is not merged into another one.', { id: sourceId });
  const ids = commandIds(commandId);
  await store.execute(
    contactAggregate,
    targetId,
    { type: 'UnmergeContactFrom', sourceId },
    ctx,
    ids.first ? { commandId: ids.first } : {},
  );
  const r = await store.execute(contactAggregate, sourceId, { type: 'UnmergeContact' }, ctx, {
    ...(ids.second ? { commandId: ids.second } : {}),
    waitForProjections: true,
  });
  return { sourceId, targetId, position: r.position };
};

/** Merge and unmerge, as commands of the contract. */
export const mergeExtension: CrmExtension = {
  commands: {
    MergeContacts: extensionCommand(MERGE_COMMANDS.MergeContacts, (rt, input, request) =>
      mergeContacts(rt.store, input, rt.ctx, request.commandId),
    ),
    UnmergeContacts: extensionCommand(MERGE_COMMANDS.UnmergeContacts, (rt, input, request) =>
      unmergeContacts(rt.store, input, rt.ctx, request.commandId),
    ),
  },
};
