/**
 * Demo data: a seeded, deterministic generator of realistic CRM data (`generate.ts`), its loader (`load.ts`) and the
 * `LoadDemoData` command that fills an empty CRM with about 100 records on first run.
 * @module
 */
import { z } from 'zod';
import { DomainError } from '../../es/index.js';
import { contactAggregate } from '../domain/index.js';
import { extensionCommand, type CrmExtension } from '../extension.js';
import { DEMO_SIZES } from './generate.js';
import { loadDemo } from './load.js';

export {
  addDays,
  benchShape,
  DEMO_SIZES,
  demoBatches,
  demoCommands,
  mulberry32,
  type DemoCommand,
  type DemoOptions,
  type DemoShape,
} from './generate.js';
export { loadDemo, type DemoLoadOptions, type DemoLoadResult } from './load.js';

/** The seed `LoadDemoData` uses unless told otherwise. */
export const DEFAULT_DEMO_SEED = 4;

/** Input of `LoadDemoData`. */
export const loadDemoDataInput = z
  .object({
    size: z.enum(['small']).optional(),
    seed: z.number().int().min(0).max(0xffff_ffff).optional(),
    /** Load even though the CRM has contacts already (demo records then sit beside the user's own). */
    force: z.boolean().optional(),
  })
  .strict();

/** `LoadDemoData {size?, seed?, force?}`: about 100 demo records; refused when the CRM has contacts, unless `force`. */
export const demoExtension: CrmExtension = {
  commands: {
    LoadDemoData: extensionCommand(loadDemoDataInput, async (rt, input) => {
      const seed = input.seed ?? DEFAULT_DEMO_SEED;
      // A re-run of the same seed only finds its own contacts: it is idempotent, not a mix.
      const others = rt.store.list(contactAggregate).some((id) => !id.startsWith(`demo${seed}-`));
      if (others && !input.force) {
        throw new DomainError(
          'CRM_NOT_EMPTY',
          'This CRM already has contacts, and demo data would mix with them. Open an empty data folder to try ' +
            'the demo, or load it anyway with force.',
          { contacts: rt.store.list(contactAggregate).length },
        );
      }
      const today = new Date().toISOString().slice(0, 10);
      const ctx = { ...rt.ctx, actor: 'system:demo' };
      return loadDemo((request) => rt.execute(request, ctx), {
        seed,
        shape: DEMO_SIZES[input.size ?? 'small'],
        today,
      });
    }),
  },
};
