/**
 * One deal (`#/deals/<id>`): its fields and custom fields, stage and status; move, won, lost (with reason),
 * reopen, edit, delete / restore; and the record panels (timeline, notes, activities, tasks).
 * @module
 */
import { useState } from 'react';
import type { ContactState } from '../../../../core/crm/domain/contact.js';
import type { DealState } from '../../../../core/crm/domain/deal.js';
import type { PipelineState } from '../../../../core/crm/domain/pipeline.js';
import { RecordPanels } from '../../components/RecordPanels.js';
import { CustomFieldFacts } from '../../components/record/CustomFieldFacts.js';
import { FormError } from '../../components/ui/FormError.js';
import { formatDate, formatMoney } from '../../format.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';
import { LOST, targetsAmong, WON } from './board-moves.js';
import { DealForm } from './DealForm.js';
import { LoseReasonDialog } from './LoseReasonDialog.js';
import { MoveMenu } from './MoveMenu.js';
import { DEFAULT_PIPELINE_ID } from './pipeline-ids.js';
import { useCompanies } from './useCompanies.js';
import { useDealMoves } from './useDealMoves.js';

interface StoredRecord<S> {
  id: string;
  version: number;
  state: S;
}

/** The detail view of deal `id`. */
export function DealDetail({ id }: { id: string }) {
  const deal = useQuery<StoredRecord<DealState>>('record.get', { kind: 'deal', id });
  const pipelineId = deal.data?.state.placement.pipelineId;
  const pipeline = useQuery<StoredRecord<PipelineState>>('record.get', {
    kind: 'pipeline',
    id: pipelineId ?? DEFAULT_PIPELINE_ID,
  });
  const companies = useCompanies();
  const moves = useDealMoves();
  const life = useCommand();
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState('');

  if (deal.error)
    return (
      <section className="page">
        <p role="alert" className="error">
          {deal.error.message}
        </p>
        <a href={hrefOf('deals')}>Back to the board</a>
      </section>
    );
  if (!deal.data) return <p className="empty">Loading…</p>;
  const { state, version } = deal.data;
  const { fields, placement, status } = state;
  const stages = pipeline.data?.state.stages ?? [];
  const stageName = stages.find((s) => s.stageId === placement.stageId)?.name ?? placement.stageId;
  const company = fields.companyId ? companies.byId.get(fields.companyId) : undefined;
  const moving = { id, status, stageId: placement.stageId, title: fields.title };
  const trashed = state.life.trashed;

  async function lifecycle(command: string, done: string): Promise<void> {
    const r = await life.run(command, { id }, { expectedVersion: version });
    if (r.ok) setNotice(done);
  }

  return (
    <section className="page" aria-labelledby="page-title">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <a
          href={hrefOf(
            'deals',
            undefined,
            pipelineId && pipelineId !== DEFAULT_PIPELINE_ID ? { pipeline: pipelineId } : {},
          )}
        >
          {pipeline.data?.state.name ?? 'Deals'}
        </a>
      </nav>
      <header className="page-header">
        <h1 id="page-title">
          {fields.title}
          <span className={`badge status-${status}`}>
            {status === 'open' ? stageName : status === 'won' ? 'Won' : 'Lost'}
          </span>
          {trashed && <span className="badge">In trash</span>}
        </h1>
        {!trashed && (
          <div className="actions">
            {status === 'open' ? (
              <>
                <button type="button" onClick={() => void moves.move(moving, WON, 'Won')}>
                  Won
                </button>
                <button type="button" onClick={() => void moves.move(moving, LOST, 'Lost')}>
                  Lost…
                </button>
              </>
            ) : (
              <button type="button" onClick={() => void lifecycle('ReopenDeal', 'Reopened.')}>
                Reopen
              </button>
            )}
            {stages.length > 0 && (
              <MoveMenu
                label={fields.title}
                targets={targetsAmong(stages, moving)}
                onPick={(t) => void moves.move(moving, t, stages.find((s) => s.stageId === t)?.name ?? t)}
              />
            )}
            {!editing && (
              <button type="button" onClick={() => setEditing(true)}>
                Edit
              </button>
            )}
            <button
              type="button"
              className="danger"
              onClick={() => void lifecycle('TrashDeal', 'Moved to the trash.')}
            >
              Delete
            </button>
          </div>
        )}
        {trashed && (
          <button type="button" onClick={() => void lifecycle('RestoreDeal', 'Restored from the trash.')}>
            Restore
          </button>
        )}
      </header>
      <p role="status" className="notice">
        {moves.message || notice}
      </p>
      <FormError error={moves.error ?? life.error} />
      {editing ? (
        <DealForm
          pipelineId={placement.pipelineId}
          stages={stages}
          editing={{ id, version, fields, customFields: state.customFields }}
          onSaved={() => {
            setEditing(false);
            setNotice('Saved.');
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <dl className="facts" aria-label="Deal details">
          <dt>Amount</dt>
          <dd>{fields.amount ? formatMoney(fields.amount) : '—'}</dd>
          <dt>Company</dt>
          <dd>{company ? <a href={hrefOf('companies', company.id)}>{company.name}</a> : '—'}</dd>
          <dt>Expected close</dt>
          <dd>{fields.expectedCloseDate ? formatDate(fields.expectedCloseDate) : '—'}</dd>
          <dt>Owner</dt>
          <dd>{fields.owner ?? '—'}</dd>
          {state.closedOn && (
            <>
              <dt>{status === 'won' ? 'Won on' : 'Lost on'}</dt>
              <dd>{formatDate(state.closedOn)}</dd>
            </>
          )}
          {state.lostReason && (
            <>
              <dt>Reason</dt>
              <dd>{state.lostReason}</dd>
            </>
          )}
          <dt>Contacts</dt>
          <dd>
            {fields.contactIds.length === 0
              ? '—'
              : fields.contactIds.map((c, i) => (
                  <span key={c}>
                    {i > 0 && ', '}
                    <ContactLink id={c} />
                  </span>
                ))}
          </dd>
          <CustomFieldFacts kind="deal" values={state.customFields} />
        </dl>
      )}
      <RecordPanels kind="deal" id={id} />
      {moves.asking && (
        <LoseReasonDialog
          title={moves.asking.title}
          onConfirm={(reason) => void moves.answer(reason)}
          onCancel={() => void moves.answer(null)}
        />
      )}
    </section>
  );
}

/** A link to contact `id`, named by its current record (a deal has a handful of contacts, so one read each). */
function ContactLink({ id }: { id: string }) {
  const contact = useQuery<StoredRecord<ContactState>>('record.get', { kind: 'contact', id });
  const f = contact.data?.state.fields;
  return <a href={hrefOf('contacts', id)}>{f ? [f.firstName, f.lastName].filter(Boolean).join(' ') : id}</a>;
}
