/**
 * The deals of a company or a contact, on its detail page: title (a link to the deal), stage and amount, newest
 * activity first. Read with `deal.list {companyId | contactId}`, kept live.
 * @module
 */
import type { Page } from '../../../../core/crm/read/list-query.js';
import type { DealListRow } from '../../../../core/crm/read/pipeline-board.js';
import { formatMoney } from '../../format.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf } from '../../hooks/useRoute.js';

/** At most this many deals are listed (the heading says how many there are). */
const SHOWN = 50;

/** Props of {@link RecordDeals}: the record whose deals are listed. */
export type RecordDealsProps = { companyId: string } | { contactId: string };

/** The deals panel of a company or contact. */
export function RecordDeals(props: RecordDealsProps) {
  const deals = useQuery<Page<DealListRow>>('deal.list', { ...props, limit: SHOWN });
  const rows = deals.data?.rows;
  const owner = 'companyId' in props ? 'company' : 'contact';
  return (
    <section className="panel" aria-labelledby="record-deals">
      <h2 id="record-deals">Deals{deals.data ? ` (${deals.data.total})` : ''}</h2>
      {deals.error && (
        <p role="alert" className="error">
          Could not load the deals: {deals.error.message}
        </p>
      )}
      {rows && rows.length === 0 && <p className="empty">No deals with this {owner}.</p>}
      {rows && rows.length > 0 && (
        <ul className="plain-list" aria-label={`Deals of this ${owner}`}>
          {rows.map((d) => (
            <li key={d.id}>
              <a href={hrefOf('deals', d.id)}>{d.title}</a>
              <span className="muted"> · {d.stageName}</span>
              {d.amount && <span className="muted"> · {formatMoney(d.amount)}</span>}
            </li>
          ))}
        </ul>
      )}
      {deals.data && deals.data.total > SHOWN && (
        <p className="muted">The {SHOWN} most recently changed are listed.</p>
      )}
    </section>
  );
}
