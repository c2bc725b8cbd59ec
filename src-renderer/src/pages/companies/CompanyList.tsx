/**
 * The company list: search, sort, the active / archived / trash views, paging, and the "New company" form.
 * @module
 */
import { useState } from 'react';
import type { CompanyListRow } from '../../../../core/crm/read/companies.js';
import type { Page } from '../../../../core/crm/read/list-query.js';
import { useQuery } from '../../hooks/useQuery.js';
import { hrefOf, navigate } from '../../hooks/useRoute.js';
import { CompanyForm } from './CompanyForm.js';

const PAGE = 50;

/** Which companies the list shows. */
type View = 'active' | 'archived' | 'trash';

const VIEW_PARAMS: Record<View, Record<string, string>> = {
  active: {},
  archived: { archived: 'only' },
  trash: { trash: 'only', archived: 'include' },
};

/** The list and its controls. */
export function CompanyList() {
  const [q, setQ] = useState('');
  const [sort, setSort] = useState<'name' | 'updatedAt' | 'createdAt'>('name');
  const [view, setView] = useState<View>('active');
  const [offset, setOffset] = useState(0);
  const [adding, setAdding] = useState(false);
  const [notice, setNotice] = useState('');
  const list = useQuery<Page<CompanyListRow>>('company.list', {
    ...(q.trim() !== '' ? { q: q.trim() } : {}),
    sort,
    ...VIEW_PARAMS[view],
    offset,
    limit: PAGE,
  });
  const rows = list.data?.rows;
  const total = list.data?.total ?? 0;

  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">Companies</h1>
        {!adding && (
          <button type="button" className="primary" onClick={() => setAdding(true)}>
            New company
          </button>
        )}
      </header>
      {adding && (
        <CompanyForm
          onSaved={(id, name) => {
            setAdding(false);
            setNotice(`Saved ${name}.`);
            navigate('companies', id);
          }}
          onCancel={() => setAdding(false)}
        />
      )}
      <p role="status" className="notice">
        {notice}
      </p>
      <div className="list-controls" role="search" aria-label="Filter companies">
        <input
          type="search"
          aria-label="Search companies"
          placeholder="Search by name, domain or tag"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOffset(0);
          }}
        />
        <label>
          Sort{' '}
          <select value={sort} onChange={(e) => setSort(e.target.value as typeof sort)}>
            <option value="name">Name</option>
            <option value="updatedAt">Last changed</option>
            <option value="createdAt">Created</option>
          </select>
        </label>
        <label>
          Show{' '}
          <select
            value={view}
            onChange={(e) => {
              setView(e.target.value as View);
              setOffset(0);
            }}
          >
            <option value="active">Active</option>
            <option value="archived">Archived</option>
            <option value="trash">Trash</option>
          </select>
        </label>
      </div>
      {list.error && (
        <p role="alert" className="error">
          Could not load the companies: {list.error.message}
        </p>
      )}
      {rows && rows.length === 0 && (
        <p className="empty">
          {q || view !== 'active' ? 'No company matches.' : 'No companies yet. Add the first one.'}
        </p>
      )}
      {rows && rows.length > 0 && (
        <table className="data-table" aria-label="Companies">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Domain</th>
              <th scope="col">Industry</th>
              <th scope="col">Size</th>
              <th scope="col">Contacts</th>
              <th scope="col">Tags</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <a href={hrefOf('companies', c.id)}>{c.name}</a>
                  {c.archived && <span className="badge">Archived</span>}
                  {c.trashed && <span className="badge">In trash</span>}
                </td>
                <td>{c.domain}</td>
                <td>{c.industry}</td>
                <td>{c.size}</td>
                <td>{c.contactCount}</td>
                <td>{c.tags.join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total > PAGE && (
        <nav className="pager" aria-label="Pages">
          <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
            Previous
          </button>
          <span>
            {offset + 1}–{Math.min(offset + PAGE, total)} of {total}
          </span>
          <button type="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
