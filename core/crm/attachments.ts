/**
 * Attachments: files stored content-addressed beside the logs, referenced by events.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Attachments: files stored content-addressed beside the logs, referenced by events. */
export const attachmentsExtension: CrmExtension = {};
