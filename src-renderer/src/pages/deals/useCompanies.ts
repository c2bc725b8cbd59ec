/**
 * The companies a deal can name (for card labels and the deal detail), as one list query: up to 1,000
 * companies, archived ones included (an old deal may name one). A CRM with more needs a names query; see the
 * report of issue 5.
 * @module
 */
import { useMemo } from 'react';
import type { CompanyListRow } from '../../../../core/crm/read/companies.js';
import type { Page } from '../../../../core/crm/read/list-query.js';
import { useQuery } from '../../hooks/useQuery.js';

/** The companies by id, and in name order. */
export interface Companies {
  byId: ReadonlyMap<string, CompanyListRow>;
  rows: readonly CompanyListRow[];
}

/** The company list, kept live. */
export function useCompanies(): Companies {
  const list = useQuery<Page<CompanyListRow>>('company.list', { archived: 'include', limit: 1000 });
  return useMemo(() => {
    const rows = list.data?.rows ?? [];
    return { rows, byId: new Map(rows.map((r) => [r.id, r])) };
  }, [list.data]);
}
