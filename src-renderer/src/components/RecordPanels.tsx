/**
 * The panels under any record's detail view (contacts, companies, deals): the tasks, notes and activities linked
 * to it, and its timeline (every change, newest first, with undo).
 * @module
 */
import { ActivitiesPanel } from './record/ActivitiesPanel.js';
import { NotesPanel } from './record/NotesPanel.js';
import type { RecordKind } from './record/record-inputs.js';
import { TasksPanel } from './record/TasksPanel.js';
import { TimelinePanel } from './record/TimelinePanel.js';
import './ui/record-view.css';
import '../record.css';

export type { RecordKind } from './record/record-inputs.js';

/** The panels of record `kind`/`id`. */
export function RecordPanels({ kind, id }: { kind: RecordKind; id: string }) {
  const record = { kind, id };
  return (
    <div className="record-panels">
      <div className="record-panels-side">
        <TasksPanel record={record} />
        <NotesPanel record={record} />
        <ActivitiesPanel record={record} />
      </div>
      <TimelinePanel record={record} />
    </div>
  );
}
