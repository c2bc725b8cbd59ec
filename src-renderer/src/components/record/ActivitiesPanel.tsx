/**
 * The activities of a record (calls, e-mails, meetings): log one with when it happened and a summary, and read
 * them newest first.
 * @module
 */
import { useState, type FormEvent } from 'react';
import { fieldMessages } from '../../errors.js';
import { formatInstant } from '../../format.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { Field, TextField } from '../ui/Field.js';
import { FormError } from '../ui/FormError.js';
import {
  ACTIVITY_KINDS,
  activityInput,
  linksTo,
  toLocalInput,
  type ActivityKindName,
  type RecordLink,
} from './record-inputs.js';
import { useLinkedIds } from './useLinkedIds.js';

interface ActivityRecord {
  state: {
    life: { trashed: boolean };
    fields: {
      kind: ActivityKindName;
      occurredAt: string;
      summary: string;
      link: { kind: string; id: string };
    };
  };
}

const KIND_LABELS: Record<ActivityKindName, string> = { call: 'Call', email: 'E-mail', meeting: 'Meeting' };

/** One activity, read from its own record. */
function ActivityItem({ id, record }: { id: string; record: RecordLink }) {
  const activity = useQuery<ActivityRecord>('record.get', { kind: 'activity', id });
  const s = activity.data?.state;
  if (!s || s.life.trashed || !linksTo(s.fields.link, record)) return null;
  return (
    <li className="activity">
      <strong>{KIND_LABELS[s.fields.kind]}</strong> ·{' '}
      <time dateTime={s.fields.occurredAt}>{formatInstant(s.fields.occurredAt)}</time>
      <p className="note-body">{s.fields.summary}</p>
    </li>
  );
}

/** The activities panel of `record`. */
export function ActivitiesPanel({ record }: { record: RecordLink }) {
  const ids = useLinkedIds(record, 'activity');
  const [kind, setKind] = useState<ActivityKindName>('call');
  const [when, setWhen] = useState(() => toLocalInput(new Date()));
  const [summary, setSummary] = useState('');
  const log = useCommand();
  const errors = log.error ? fieldMessages(log.error) : {};

  async function onSubmit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const result = await log.run('LogActivity', activityInput({ kind, when, summary }, record));
    if (result.ok) {
      setSummary('');
      setWhen(toLocalInput(new Date()));
    }
  }

  return (
    <section className="panel" aria-labelledby="activities-title">
      <h2 id="activities-title">Activities</h2>
      <form aria-label="Log an activity" onSubmit={(e) => void onSubmit(e)}>
        <div className="form-row">
          <Field label="Activity" error={errors.kind}>
            {(a) => (
              <select {...a} value={kind} onChange={(e) => setKind(e.target.value as ActivityKindName)}>
                {ACTIVITY_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {KIND_LABELS[k]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <TextField
            label="When"
            type="datetime-local"
            value={when}
            onChange={setWhen}
            error={errors.occurredAt}
          />
        </div>
        <Field label="Summary" error={errors.summary}>
          {(a) => (
            <textarea
              {...a}
              rows={2}
              maxLength={10_000}
              value={summary}
              onChange={(e) => setSummary(e.target.value)}
            />
          )}
        </Field>
        {errors.summary === undefined && errors.occurredAt === undefined && <FormError error={log.error} />}
        <button type="submit" disabled={log.busy}>
          Log activity
        </button>
      </form>
      {ids && ids.length === 0 && <p className="empty">No activities yet.</p>}
      <ul className="activities" aria-label="Activities">
        {(ids ?? []).map((a) => (
          <ActivityItem key={a.id} id={a.id} record={record} />
        ))}
      </ul>
    </section>
  );
}
