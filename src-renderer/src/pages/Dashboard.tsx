/**
 * The dashboard: counts with links, win rate, pipeline value by stage, won / lost and tasks done per month,
 * and pipeline analytics from history. Every figure comes from a read model and stays live.
 * @module
 */
import { useState } from 'react';
import type { Dashboard as DashboardFigures } from '../../../core/crm/read/dashboard.js';
import type { Page } from '../../../core/crm/read/list-query.js';
import { useQuery } from '../hooks/useQuery.js';
import { hrefOf } from '../hooks/useRoute.js';
import { formatRate } from './dashboard/figures.js';
import { PipelineAnalytics } from './dashboard/PipelineAnalytics.js';
import { DEFAULT_PIPELINE_ID } from './deals/pipeline-ids.js';
import { MonthlyResults, PipelineValue, TasksDone } from './dashboard/SalesFigures.js';
import '../components/ui/record-view.css';
import './dashboard/dashboard.css';

/** One count card, linking to where the records are. */
function CountCard({
  label,
  value,
  href,
}: {
  label: string;
  value: number | string | undefined;
  href: string;
}) {
  return (
    <a className="card" href={href}>
      <span className="card-value">{value ?? '…'}</span>
      <span className="card-label">{label}</span>
    </a>
  );
}

/** The dashboard section. */
export function Dashboard() {
  // Fixed per visit: a `now` that changed on every render would change the queries' params and re-run them.
  const [now] = useState(() => new Date().toISOString());
  const [pipelineId, setPipelineId] = useState<string>(DEFAULT_PIPELINE_ID);
  const figures = useQuery<DashboardFigures>('dashboard');
  const contacts = useQuery<Page<unknown>>('contact.list', { limit: 0 });
  const companies = useQuery<Page<unknown>>('company.list', { limit: 0 });
  const data = figures.data;
  const won = data?.months.reduce((n, m) => n + m.won, 0);
  const lost = data?.months.reduce((n, m) => n + m.lost, 0);
  const open = data?.pipelines.reduce((n, p) => n + p.stages.reduce((k, s) => k + s.count, 0), 0);
  const tasksDone = data?.tasksDone.reduce((n, m) => n + m.count, 0);
  const pipeline = data?.pipelines.find((p) => p.pipelineId === pipelineId);
  const stageName = (id: string) => pipeline?.stages.find((s) => s.stageId === id)?.name ?? id;

  return (
    <section className="page dashboard" aria-labelledby="page-title">
      <h1 id="page-title">Dashboard</h1>
      {figures.error && (
        <p role="alert" className="error">
          Could not load the dashboard: {figures.error.message}
        </p>
      )}
      <div className="cards" role="list" aria-label="Counts">
        <div role="listitem">
          <CountCard label="Contacts" value={contacts.data?.total} href={hrefOf('contacts')} />
        </div>
        <div role="listitem">
          <CountCard label="Companies" value={companies.data?.total} href={hrefOf('companies')} />
        </div>
        <div role="listitem">
          <CountCard label="Open deals" value={open} href={hrefOf('deals')} />
        </div>
        <div role="listitem">
          <CountCard label="Won" value={won} href={hrefOf('deals')} />
        </div>
        <div role="listitem">
          <CountCard label="Lost" value={lost} href={hrefOf('deals')} />
        </div>
        <div role="listitem">
          <CountCard
            label="Win rate"
            value={data ? formatRate(data.winRate) : undefined}
            href={hrefOf('deals')}
          />
        </div>
        <div role="listitem">
          <CountCard label="Tasks done" value={tasksDone} href={hrefOf('tasks')} />
        </div>
      </div>
      {data && (
        <div className="dash-grid">
          <PipelineValue data={data} />
          <MonthlyResults data={data} />
          <TasksDone data={data} />
        </div>
      )}
      {data && data.pipelines.length > 1 && (
        <label className="dash-pipeline-picker">
          Analytics of{' '}
          <select value={pipelineId} onChange={(e) => setPipelineId(e.target.value)}>
            {data.pipelines.map((p) => (
              <option key={p.pipelineId} value={p.pipelineId}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
      )}
      <PipelineAnalytics pipelineId={pipelineId} now={now} stageName={stageName} />
    </section>
  );
}
