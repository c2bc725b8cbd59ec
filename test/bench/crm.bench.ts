/**
 * The `crm` suite: the CRM backend at the sizes of issue 4 (open with 100,000 contacts, search latency, CSV
 * import rows/s, dashboard query time).
 * @module
 */
import type { Suite } from './harness.js';

/** The CRM suite. */
export const crmSuite: Suite = {
  name: 'crm',
  description: 'the CRM backend (core/crm) at 100,000 contacts',
  cases: () => [],
};
