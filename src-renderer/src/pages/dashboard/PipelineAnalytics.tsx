/**
 * Pipeline analytics computed from the deals' history (what a CRM that overwrites records cannot know): time in
 * each stage, conversion between stages, stale deals and slipped close dates.
 * @module
 */
import type {
  SlippedDeal,
  StageConversion,
  StaleDeal,
  TimeInStages,
} from '../../../../core/crm/read/analytics.js';
import { formatDate } from '../../format.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';
import { Bar } from './Bar.js';
import { formatDuration, formatRate } from './figures.js';

/** Deals with no change for this many days are stale. */
const STALE_DAYS = 14;

/** Props of {@link PipelineAnalytics}. */
export interface PipelineAnalyticsProps {
  pipelineId: string;
  /** The instant time-relative figures are measured to (fixed per visit, so the queries stay stable). */
  now: string;
  /** Stage names by id, for conversion rows. */
  stageName(id: string): string;
}

/** The four analytics panels of one pipeline. */
export function PipelineAnalytics({ pipelineId, now, stageName }: PipelineAnalyticsProps) {
  const time = useQuery<TimeInStages>('analytics.timeInStages', { pipelineId, now });
  const conversion = useQuery<StageConversion[]>('analytics.conversion', { pipelineId });
  const stale = useQuery<StaleDeal[]>('analytics.stale', { now, days: STALE_DAYS });
  const slipped = useQuery<SlippedDeal[]>('analytics.slipped');
  const maxAvg = Math.max(0, ...(time.data?.stages ?? []).map((s) => s.averageSeconds));

  return (
    <section className="dash-analytics" aria-labelledby="dash-analytics">
      <h2 id="dash-analytics">Pipeline analytics from history</h2>
      <div className="dash-grid">
        <section className="dash-panel" aria-labelledby="dash-time">
          <h3 id="dash-time">Average time in stage</h3>
          <table className="data-table dash-table" aria-label="Average time in stage">
            <tbody>
              {(time.data?.stages ?? []).map((s) => (
                <tr key={s.stageId}>
                  <th scope="row">{s.name}</th>
                  <td>
                    <span className="bar-cell">
                      <span className="num">{s.deals === 0 ? '—' : formatDuration(s.averageSeconds)}</span>{' '}
                      <Bar value={s.averageSeconds} max={maxAvg} />
                    </span>
                  </td>
                  <td className="muted">
                    {s.deals} {s.deals === 1 ? 'deal' : 'deals'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="dash-panel" aria-labelledby="dash-conversion">
          <h3 id="dash-conversion">Conversion between stages</h3>
          <table className="data-table dash-table" aria-label="Conversion between stages">
            <tbody>
              {(conversion.data ?? []).map((c) => (
                <tr key={c.fromStageId}>
                  <th scope="row">
                    {stageName(c.fromStageId)} → {c.toStageId === 'won' ? 'Won' : stageName(c.toStageId)}
                  </th>
                  <td>
                    <span className="bar-cell">
                      <span className="num">{formatRate(c.rate)}</span>{' '}
                      <Bar value={c.rate ?? 0} max={1} tone="ok" />
                    </span>
                  </td>
                  <td className="muted">
                    {c.advanced} of {c.reached}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section className="dash-panel" aria-labelledby="dash-stale">
          <h3 id="dash-stale">Stale deals (no change in {STALE_DAYS} days)</h3>
          {stale.data && stale.data.length === 0 && (
            <p className="empty">None: every open deal moved recently.</p>
          )}
          <ul className="plain-list">
            {(stale.data ?? []).slice(0, 10).map((d) => (
              <li key={d.dealId}>
                <a href={hrefOf('deals', d.dealId)}>{d.title}</a>{' '}
                <span className="muted">
                  idle {d.idleDays} days, in {stageName(d.stageId)}
                </span>
              </li>
            ))}
          </ul>
        </section>
        <section className="dash-panel" aria-labelledby="dash-slipped">
          <h3 id="dash-slipped">Slipped close dates</h3>
          {slipped.data && slipped.data.length === 0 && (
            <p className="empty">No close date was pushed back.</p>
          )}
          <ul className="plain-list">
            {(slipped.data ?? []).slice(0, 10).map((d) => (
              <li key={d.dealId}>
                <a href={hrefOf('deals', d.dealId)}>{d.title}</a>{' '}
                <span className="muted">
                  {formatDate(d.firstCloseDate)} → {formatDate(d.closeDate)} ({d.slipDays} days, {d.slips}{' '}
                  {d.slips === 1 ? 'time' : 'times'})
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>
    </section>
  );
}
