/**
 * The dashboard's figures from the `dashboard` read model: open pipeline value by stage, won and lost per month,
 * and tasks done per month, as tables with CSS bars.
 * @module
 */
import type { Dashboard } from '../../../../core/crm/read/dashboard.js';
import { formatMoney, formatSums } from '../../format.js';
import { Bar } from './Bar.js';
import { monthLabel } from './figures.js';

/** Open deals' value by stage, per pipeline. */
export function PipelineValue({ data }: { data: Dashboard }) {
  return (
    <section className="dash-panel" aria-labelledby="dash-pipeline">
      <h2 id="dash-pipeline">Pipeline value by stage</h2>
      {data.pipelines.map((p) => {
        const max = Math.max(0, ...p.stages.map((s) => s.count));
        return (
          <table
            key={p.pipelineId}
            className="data-table dash-table"
            aria-label={`${p.name}: open value by stage`}
          >
            {data.pipelines.length > 1 && <caption>{p.name}</caption>}
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col">Deals</th>
                <th scope="col">Value</th>
              </tr>
            </thead>
            <tbody>
              {p.stages.map((s) => (
                <tr key={s.stageId}>
                  <th scope="row">{s.name}</th>
                  <td>
                    <span className="bar-cell">
                      <span className="num">{s.count}</span> <Bar value={s.count} max={max} />
                    </span>
                  </td>
                  <td>{formatSums(s.sums, formatMoney)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}

/** Won and lost deals per month. */
export function MonthlyResults({ data }: { data: Dashboard }) {
  const max = Math.max(0, ...data.months.map((m) => Math.max(m.won, m.lost)));
  return (
    <section className="dash-panel" aria-labelledby="dash-months">
      <h2 id="dash-months">Won and lost per month</h2>
      {data.months.length === 0 ? (
        <p className="empty">No deal won or lost yet.</p>
      ) : (
        <table className="data-table dash-table" aria-label="Won and lost per month">
          <thead>
            <tr>
              <th scope="col">Month</th>
              <th scope="col">Won</th>
              <th scope="col">Lost</th>
              <th scope="col">Won value</th>
            </tr>
          </thead>
          <tbody>
            {data.months.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthLabel(m.month)}</th>
                <td>
                  <span className="bar-cell">
                    <span className="num">{m.won}</span> <Bar value={m.won} max={max} tone="ok" />
                  </span>
                </td>
                <td>
                  <span className="bar-cell">
                    <span className="num">{m.lost}</span> <Bar value={m.lost} max={max} tone="danger" />
                  </span>
                </td>
                <td>{formatSums(m.wonValue, formatMoney)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** Tasks completed per month. */
export function TasksDone({ data }: { data: Dashboard }) {
  const max = Math.max(0, ...data.tasksDone.map((m) => m.count));
  return (
    <section className="dash-panel" aria-labelledby="dash-tasks">
      <h2 id="dash-tasks">Tasks done</h2>
      {data.tasksDone.length === 0 ? (
        <p className="empty">No task completed yet.</p>
      ) : (
        <table className="data-table dash-table" aria-label="Tasks done per month">
          <tbody>
            {data.tasksDone.map((m) => (
              <tr key={m.month}>
                <th scope="row">{monthLabel(m.month)}</th>
                <td>
                  <span className="bar-cell">
                    <span className="num">{m.count}</span> <Bar value={m.count} max={max} />
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
