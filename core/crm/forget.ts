/**
 * Erasure on request (personal data laws): a contact and its notes, activities and tasks are removed from the data
 * folder for good: their streams (logs, snapshots) are deleted, every read model is rebuilt from the remaining
 * logs (so checkpoints no longer hold them), and the contact's stream is replaced by a tombstone, one
 * `ContactForgotten` event without personal data, so links to it still resolve to "forgotten"; deals are unlinked
 * from it by a process manager. One log per record makes this a deletion, not a rewrite of anybody else's history.
 * @module
 */
import { z } from 'zod';
import { DomainError, type AggregateStore } from '../es/index.js';
import { contactAggregate, idSchema } from './domain/index.js';
import { extensionCommand, type CrmExtension } from './extension.js';
import { linkedTo, linkIndexProjection, type LinkIndexState } from './link-index.js';

/** Input of the contract's `ForgetContact`. */
export const forgetContactInput = z.object({ id: idSchema }).strict();

/** What was erased. */
export interface ForgetResult {
  id: string;
  /** The linked records deleted with it (`type/id`). */
  erased: string[];
}

/**
 * Forgets contact `id` (see the module comment). Idempotent: forgetting a forgotten contact changes nothing.
 * @throws DomainError NOT_FOUND when there is no such contact.
 */
export async function forgetContact(store: AggregateStore, id: string, actor: string): Promise<ForgetResult> {
  if (!store.has(contactAggregate.type, id))
    throw new DomainError('NOT_FOUND', `There is no contact ${id}.`, { id });
  const state = await store.get(contactAggregate, id).state();
  if (state.forgotten) return { id, erased: [] };
  await store.awaitProjections();
  const linked = linkedTo(
    store.projection<LinkIndexState>(linkIndexProjection).state,
    contactAggregate.type,
    id,
  );
  for (const r of linked) await store.destroyStream(r.type, r.id);
  await store.destroyStream(contactAggregate.type, id);
  // Process managers react to the tombstone (it happened here, not on another device): the deals that point at
  // the contact are unlinked (trash.ts `dealUnlink`).
  await store.injectEvent(
    contactAggregate,
    id,
    { type: 'ContactForgotten', data: null, ts: Math.floor(Date.now() / 1000), actor },
    { runProcessManagers: true },
  );
  for (const name of store.projectionNames()) await store.rebuildProjection(name);
  await store.runProcessManagers();
  await store.awaitProjections();
  await store.flush();
  return { id, erased: linked.map((r) => `${r.type}/${r.id}`) };
}

/** `ForgetContact`, as a command of the contract. */
export const forgetExtension: CrmExtension = {
  commands: {
    ForgetContact: extensionCommand(forgetContactInput, async (rt, input) => {
      const result = await forgetContact(rt.store, input.id, rt.actor);
      // Data kept outside the logs (attachments, exports...) is erased by the feature that keeps it.
      for (const e of rt.extensions) if (e.onForget) await e.onForget(rt, result);
      return result;
    }),
  },
};
