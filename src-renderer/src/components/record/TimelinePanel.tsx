/**
 * A record's timeline: every change touching it, newest first, with who made it, when, each field's old and
 * new value, and an Undo button on the changes that can be undone (undoing appends compensating events, so the
 * undo shows up here too).
 * @module
 */
import { useState } from 'react';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { formatInstant } from '../../format.js';
import { FormError } from '../ui/FormError.js';
import { actorLabel, isAutomation, splitChange, type RecordLink } from './record-inputs.js';

/** One entry as the `timeline` query returns it. */
export interface TimelineItemView {
  at: string;
  actor: string | null;
  causedBy: string | null;
  eventId: string | null;
  kind: string;
  id: string;
  type: string;
  summary: string;
  lines: string[];
  /** Whether `UndoChange` can undo it (present once undo exists). */
  undoable?: boolean;
  /** The id of the event that undid it, if any. */
  undoneBy?: string;
}

const STEP = 50;

/** One line of an entry: a field's old -> new value, or a plain line. */
function ChangeLine({ line }: { line: string }) {
  const change = splitChange(line);
  if (!change) return <li>{line}</li>;
  return (
    <li>
      {change.field}: <del className="old">{change.from}</del> <span aria-hidden="true">→</span>
      <span className="sr-only"> changed to </span> <ins className="new">{change.to}</ins>
    </li>
  );
}

/** The timeline of `record`, newest first, 50 entries at a time. */
export function TimelinePanel({ record }: { record: RecordLink }) {
  const [limit, setLimit] = useState(STEP);
  const timeline = useQuery<{ total: number; items: TimelineItemView[] }>('timeline', { ...record, limit });
  const undo = useCommand();
  const [notice, setNotice] = useState('');
  const items = timeline.data?.items ?? [];

  async function undoEntry(item: TimelineItemView): Promise<void> {
    setNotice('');
    const result = await undo.run('UndoChange', { kind: item.kind, id: item.id, eventId: item.eventId });
    if (result.ok) setNotice(`Undone: ${item.summary}.`);
  }

  return (
    <section className="panel" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      <p role="status" className="notice">
        {notice}
      </p>
      <FormError error={undo.error} />
      {timeline.error && (
        <p role="alert" className="error">
          Could not load the timeline: {timeline.error.message}
        </p>
      )}
      {timeline.data && items.length === 0 && <p className="empty">No history yet.</p>}
      <ol className="timeline" aria-label="Timeline">
        {items.map((item) => (
          <li
            key={`${item.eventId ?? item.at}-${item.type}`}
            className={item.undoneBy ? 'undone' : undefined}
          >
            <div className="timeline-head">
              <strong>{item.summary}</strong>
              {item.undoneBy && <span className="badge">Undone</span>}
              {item.undoable && item.eventId && (
                <button
                  type="button"
                  className="small"
                  aria-label={`Undo: ${item.summary}`}
                  disabled={undo.busy}
                  onClick={() => void undoEntry(item)}
                >
                  Undo
                </button>
              )}
            </div>
            <div className="timeline-meta">
              {actorLabel(item.actor)} · <time dateTime={item.at}>{formatInstant(item.at)}</time>
              {item.causedBy && isAutomation(item.actor) && <span> · automatic follow-up</span>}
            </div>
            {item.lines.length > 0 && (
              <ul className="timeline-lines">
                {item.lines.map((line, i) => (
                  <ChangeLine key={i} line={line} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ol>
      {timeline.data && timeline.data.total > items.length && limit < 500 && (
        <button type="button" onClick={() => setLimit((l) => Math.min(500, l + STEP))}>
          Show older ({(timeline.data.total - items.length).toLocaleString('en')} more)
        </button>
      )}
    </section>
  );
}
