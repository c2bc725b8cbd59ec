/**
 * Every {@link CrmExtension} the backend opens with: the CRM features that span records.
 * @module
 */
import { attachmentsExtension } from './attachments.js';
import { bulkExtension } from './bulk.js';
import { customFieldListExtension } from './custom-field-list.js';
import { dataExportExtension } from './data-export.js';
import { demoExtension } from './demo/index.js';
import type { CrmExtension } from './extension.js';
import { favoritesExtension } from './favorites.js';
import { forgetExtension } from './forget.js';
import { mergeExtension } from './merge.js';
import { remindersExtension } from './reminders.js';
import { transferExtension } from './transfer/index.js';
import { trashExtension } from './trash.js';
import { undoExtension } from './undo.js';

/** The extensions of the CRM, in the order their names are registered (a name may be taken once). */
export const crmExtensions: readonly CrmExtension[] = [
  mergeExtension,
  forgetExtension,
  undoExtension,
  transferExtension,
  dataExportExtension,
  favoritesExtension,
  bulkExtension,
  trashExtension,
  remindersExtension,
  attachmentsExtension,
  demoExtension,
  customFieldListExtension,
];
