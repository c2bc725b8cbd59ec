/**
 * Full export of all data and re-import into an empty store.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Full export of all data and re-import into an empty store. */
export const dataExportExtension: CrmExtension = {};
