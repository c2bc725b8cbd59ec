/**
 * Undo: compensating events for the last change or any change of a record's timeline.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Undo: compensating events for the last change or any change of a record's timeline. */
export const undoExtension: CrmExtension = {};
