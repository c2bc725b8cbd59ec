/**
 * Import and export: import a CSV or vCard file (preview, mapping, duplicates, progress), past imports with
 * Revert, and exports of the lists.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';
import { ExportButtons } from './import/ExportButtons.js';
import { ImportWizard } from './import/ImportWizard.js';
import { PastImports } from './import/PastImports.js';
import './import/import.css';

/** The Import and export section. */
export function ImportPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Import and export</h1>
      <ImportWizard />
      <PastImports />
      <ExportButtons />
    </section>
  );
}
