/**
 * The record a list item (a task) is linked to, by name, as a link to its detail page. A list resolves the
 * names of all its links with {@link useLinkedNames}: one `record.names {kind, ids}` query per kind, kept live.
 * @module
 */
import type { RecordNames } from '../../../../core/crm/record-names.js';
import { useQuery } from '../../hooks/useQuery.js';
import { linkedNames, linkView, namedLinkIds, type LinkedNames, type NamedLink } from './record-names.js';

/** The names of the records `links` point to (the links of the rows a list shows). */
export function useLinkedNames(links: Iterable<NamedLink | null | undefined>): LinkedNames {
  const ids = namedLinkIds(links);
  const contacts = useQuery<RecordNames>('record.names', { kind: 'contact', ids: ids.contact });
  const companies = useQuery<RecordNames>('record.names', { kind: 'company', ids: ids.company });
  const deals = useQuery<RecordNames>('record.names', { kind: 'deal', ids: ids.deal });
  // A kind whose query failed counts as answered (its names show as unknown, not as loading for ever).
  const items = (q: { data?: RecordNames | undefined; error?: unknown }) =>
    q.data?.items ?? (q.error ? [] : undefined);
  return linkedNames({ contact: items(contacts), company: items(companies), deal: items(deals) });
}

/** "Contact: <a>Ana Lima</a>" for `link`, named from `names`. */
export function LinkedRecordLink({ link, names }: { link: NamedLink; names: LinkedNames }) {
  const view = linkView(link, names);
  return (
    <span className="linked-record">
      <span className="muted">{view.kindLabel}:</span>{' '}
      {view.href ? <a href={view.href}>{view.name}</a> : view.name}
    </span>
  );
}
