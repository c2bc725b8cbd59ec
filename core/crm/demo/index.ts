/**
 * Demo data: a seeded, deterministic generator of realistic CRM data.
 * @module
 */
import type { CrmExtension } from '../extension.js';

/** Demo data: a seeded, deterministic generator of realistic CRM data. */
export const demoExtension: CrmExtension = {};
