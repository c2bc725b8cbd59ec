/**
 * Settings > Pipeline stages: add, rename, reorder (buttons), remove with the stage the deals move to.
 * @module
 */
import { useState, type FormEvent } from 'react';
import type { PipelineState, Stage } from '../../../../core/crm/domain/pipeline.js';
import { TextField } from '../../components/ui/Field.js';
import { FormError } from '../../components/ui/FormError.js';
import { fieldMessages } from '../../errors.js';
import { useCommand } from '../../hooks/useCommand.js';
import { useQuery } from '../../hooks/useQuery.js';
import { idFromLabel, moveItem } from './ids.js';

/** What `record.get {kind: 'pipeline'}` answers. */
interface PipelineRecord {
  version: number;
  state: PipelineState;
}

function StageRow({
  pipelineId,
  pipeline,
  index,
}: {
  pipelineId: string;
  pipeline: PipelineRecord;
  index: number;
}) {
  const command = useCommand();
  const { stages } = pipeline.state;
  const stage = stages[index] as Stage;
  const others = stages.filter((s) => s.stageId !== stage.stageId);
  const [mode, setMode] = useState<'view' | 'rename' | 'remove'>('view');
  const [name, setName] = useState(stage.name);
  const [reassignTo, setReassignTo] = useState(others[0]?.stageId ?? '');

  function move(delta: number): void {
    const order = moveItem(
      stages.map((s) => s.stageId),
      index,
      delta,
    );
    // The version guards against reordering a list another window changed meanwhile.
    void command.run(
      'ReorderPipelineStages',
      { id: pipelineId, stageIds: order },
      { expectedVersion: pipeline.version },
    );
  }

  return (
    <li>
      {mode === 'rename' ? (
        <form
          className="inline-form"
          aria-label={`Rename ${stage.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            void command
              .run('RenamePipelineStage', { id: pipelineId, stageId: stage.stageId, name })
              .then((r) => r.ok && setMode('view'));
          }}
        >
          <input
            aria-label="New name"
            value={name}
            maxLength={100}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" className="primary" disabled={command.busy}>
            Save
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      ) : mode === 'remove' ? (
        <form
          className="inline-form"
          aria-label={`Remove ${stage.name}`}
          onSubmit={(e) => {
            e.preventDefault();
            void command
              .run('RemovePipelineStage', { id: pipelineId, stageId: stage.stageId, reassignTo })
              .then((r) => r.ok && setMode('view'));
          }}
        >
          <label>
            Move its deals to{' '}
            <select value={reassignTo} onChange={(e) => setReassignTo(e.target.value)}>
              {others.map((s) => (
                <option key={s.stageId} value={s.stageId}>
                  {s.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="danger" disabled={command.busy}>
            Remove stage
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      ) : (
        <>
          <span className="setting-name">{stage.name}</span>
          <button
            type="button"
            aria-label={`Move ${stage.name} up`}
            disabled={index === 0 || command.busy}
            onClick={() => move(-1)}
          >
            ↑
          </button>
          <button
            type="button"
            aria-label={`Move ${stage.name} down`}
            disabled={index === stages.length - 1 || command.busy}
            onClick={() => move(1)}
          >
            ↓
          </button>
          <button type="button" aria-label={`Rename ${stage.name}`} onClick={() => setMode('rename')}>
            Rename
          </button>
          <button
            type="button"
            className="danger"
            aria-label={`Remove ${stage.name}`}
            disabled={others.length === 0}
            onClick={() => setMode('remove')}
          >
            Remove
          </button>
        </>
      )}
      <FormError error={command.error} />
    </li>
  );
}

function AddStageForm({ pipelineId, pipeline }: { pipelineId: string; pipeline: PipelineRecord }) {
  const command = useCommand();
  const [name, setName] = useState('');
  const [notice, setNotice] = useState('');
  const errors = command.error ? fieldMessages(command.error) : {};

  async function submit(e: FormEvent): Promise<void> {
    e.preventDefault();
    const taken = [...pipeline.state.stages.map((s) => s.stageId), ...pipeline.state.removedStageIds];
    const result = await command.run('AddPipelineStage', {
      id: pipelineId,
      stageId: idFromLabel(name, taken),
      name,
    });
    if (result.ok) {
      setNotice(`Added the stage ${name.trim()}.`);
      setName('');
    }
  }

  return (
    <form className="form settings-form" aria-label="New stage" onSubmit={(e) => void submit(e)}>
      <TextField label="Stage name" value={name} onChange={setName} error={errors.name} maxLength={100} />
      <FormError error={command.error} />
      <button type="submit" className="primary" disabled={command.busy}>
        Add stage
      </button>
      <p role="status" className="notice">
        {notice}
      </p>
    </form>
  );
}

function PipelineStages({ pipelineId }: { pipelineId: string }) {
  const pipeline = useQuery<PipelineRecord>('record.get', { kind: 'pipeline', id: pipelineId });
  if (pipeline.error)
    return (
      <p role="alert" className="error">
        Could not load the pipeline: {pipeline.error.message}
      </p>
    );
  if (!pipeline.data) return null;
  const data = pipeline.data;
  return (
    <>
      <ol className="settings-list" aria-label="Stages">
        {data.state.stages.map((s, i) => (
          <StageRow key={s.stageId} pipelineId={pipelineId} pipeline={data} index={i} />
        ))}
      </ol>
      <AddStageForm pipelineId={pipelineId} pipeline={data} />
    </>
  );
}

/** The pipeline stages section of Settings (a picker when there is more than one pipeline). */
export function PipelineStagesSettings() {
  const pipelines = useQuery<{ pipelineId: string; name: string }[]>('pipeline.list');
  const [chosen, setChosen] = useState<string | null>(null);
  const list = pipelines.data ?? [];
  const pipelineId =
    chosen ?? list.find((p) => p.pipelineId === 'default')?.pipelineId ?? list[0]?.pipelineId;
  return (
    <section className="settings-section" aria-labelledby="stages-title">
      <h2 id="stages-title">Pipeline stages</h2>
      {pipelines.error && (
        <p role="alert" className="error">
          Could not load the pipelines: {pipelines.error.message}
        </p>
      )}
      {list.length > 1 && (
        <label className="inline-label">
          Pipeline{' '}
          <select value={pipelineId} onChange={(e) => setChosen(e.target.value)}>
            {list.map((p) => (
              <option key={p.pipelineId} value={p.pipelineId}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {pipelineId !== undefined && <PipelineStages key={pipelineId} pipelineId={pipelineId} />}
    </section>
  );
}
