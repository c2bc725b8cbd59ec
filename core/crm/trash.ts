/**
 * The trash: every deleted record, restore, and emptying it for good.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** The trash: every deleted record, restore, and emptying it for good. */
export const trashExtension: CrmExtension = {};
