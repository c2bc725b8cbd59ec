/**
 * Bulk edit: tag, assign, archive, delete many records at once.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Bulk edit: tag, assign, archive, delete many records at once. */
export const bulkExtension: CrmExtension = {};
