/**
 * The shape of the contract a shell validates untrusted requests with: one zod schema per command input and one
 * per query's params. core/crm provides it (`crmContract()`).
 * @module
 */
import type { ZodTypeAny } from 'zod';

/** Command and query names mapped to the zod schemas of their input / params. */
export interface ShellContract {
  commands: Readonly<Record<string, ZodTypeAny>>;
  queries: Readonly<Record<string, ZodTypeAny>>;
}
