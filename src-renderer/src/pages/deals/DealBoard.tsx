/**
 * The pipeline board: one column per stage (plus won and lost) with counts and sums, cards moved by drag and
 * drop or the "Move to…" menu, a pipeline picker, the "New deal" form, and time travel: the board as it was at
 * a past moment (`asOf`), computed from the logs and shown read-only.
 * @module
 */
import { useState } from 'react';
import type { Board } from '../../../../core/crm/read/pipeline-board.js';
import { FormError } from '../../components/ui/FormError.js';
import { formatDate } from '../../format.js';
import { useQuery } from '../../hooks/useQuery.js';
import { navigate, type Route } from '../../hooks/useRoute.js';
import { asOfParam, boardColumns, findCard, moveTargets } from './board-moves.js';
import { BoardColumnView } from './BoardColumnView.js';
import { DealForm } from './DealForm.js';
import { DEFAULT_PIPELINE_ID } from './pipeline-ids.js';
import { LoseReasonDialog } from './LoseReasonDialog.js';
import { useCompanies } from './useCompanies.js';
import { useDealMoves } from './useDealMoves.js';

/** The board of the pipeline the route names (`#/deals?pipeline=<id>&at=<local date-time>`). */
export function DealBoard({ route }: { route: Route }) {
  const pipelineId = route.params.pipeline ?? DEFAULT_PIPELINE_ID;
  const at = route.params.at ?? '';
  const asOf = asOfParam(at);
  const readOnly = asOf !== undefined;
  const pipelines = useQuery<{ pipelineId: string; name: string }[]>('pipeline.list');
  const board = useQuery<Board | null>('deal.board', { pipelineId, ...(asOf ? { asOf } : {}) });
  const companies = useCompanies();
  const moves = useDealMoves();
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');

  const go = (params: { pipeline?: string; at?: string }) => {
    const next = { pipeline: pipelineId, at, ...params };
    navigate('deals', undefined, {
      ...(next.pipeline !== DEFAULT_PIPELINE_ID ? { pipeline: next.pipeline } : {}),
      ...(next.at ? { at: next.at } : {}),
    });
  };
  const data = board.data;
  const companyName = (id: string | null) => (id ? companies.byId.get(id)?.name : undefined);

  return (
    <section className="page deals-page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Deals</h1>
        <div className="board-tools">
          {pipelines.data && pipelines.data.length > 1 && (
            <label>
              Pipeline{' '}
              <select value={pipelineId} onChange={(e) => go({ pipeline: e.target.value })}>
                {pipelines.data.map((p) => (
                  <option key={p.pipelineId} value={p.pipelineId}>
                    {p.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <label className="as-of">
            As of{' '}
            <input type="datetime-local" step={1} value={at} onChange={(e) => go({ at: e.target.value })} />
          </label>
          {!readOnly && !adding && (
            <button type="button" className="primary" onClick={() => setAdding(true)} disabled={!data}>
              New deal
            </button>
          )}
        </div>
      </header>
      {readOnly && (
        <div className="time-travel-banner" role="note" aria-label="Time travel">
          <strong>
            Read-only: the board as it was on {formatDate(asOf)} at {new Date(asOf).toLocaleTimeString()}.
          </strong>{' '}
          Computed from the history; nothing can be changed here.{' '}
          <button type="button" onClick={() => go({ at: '' })}>
            Back to live
          </button>
        </div>
      )}
      {adding && data && (
        <DealForm
          pipelineId={pipelineId}
          stages={data.columns}
          onSaved={(_id, title) => {
            setAdding(false);
            setNotice(`Saved ${title}.`);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <p role="status" className="notice">
        {moves.message || notice}
      </p>
      <FormError error={moves.error} />
      {board.error && (
        <p role="alert" className="error">
          Could not load the board: {board.error.message}
        </p>
      )}
      {board.data === null && <p className="empty">There is no pipeline {pipelineId}.</p>}
      {data && (
        <div
          className={`board${readOnly ? ' read-only' : ''}`}
          aria-label={`${data.name} board`}
          role="group"
        >
          {boardColumns(data).map((column) => (
            <BoardColumnView
              key={column.stageId}
              column={column}
              companyName={companyName}
              targetsOf={readOnly ? null : (card) => moveTargets(data, card)}
              onMove={(card, id, name) => void moves.move(card, id, name)}
              onDrop={(dealId) => {
                const card = findCard(data, dealId);
                if (card) void moves.move(card, column.stageId, column.name);
              }}
            />
          ))}
        </div>
      )}
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
