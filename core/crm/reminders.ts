/**
 * Reminders: due tasks the shell turns into OS notifications (snooze, done).
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Reminders: due tasks the shell turns into OS notifications (snooze, done). */
export const remindersExtension: CrmExtension = {};
