/**
 * Settings: custom fields per record kind, pipeline stages, and the data folder (export, demo data).
 * @module
 */
import type { Route } from '../hooks/useRoute.js';
import { CustomFieldsSettings } from './settings/CustomFieldsSettings.js';
import { DataSettings } from './settings/DataSettings.js';
import { PipelineStagesSettings } from './settings/PipelineStagesSettings.js';
import './settings/settings.css';

/** The Settings section. */
export function SettingsPage({ route: _route }: { route: Route }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <h1 id="page-title">Settings</h1>
      <CustomFieldsSettings />
      <PipelineStagesSettings />
      <DataSettings />
    </section>
  );
}
