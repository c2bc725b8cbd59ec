/**
 * Import and export: CSV and vCard import with preview and revert, CSV and vCard export.
 * @module
 */
import type { CrmExtension } from '../extension.js';

/** Import and export: CSV and vCard import with preview and revert, CSV and vCard export. */
export const transferExtension: CrmExtension = {};
