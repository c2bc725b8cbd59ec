/**
 * Companies: the list, or one company's detail view when the route names it.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';
import { CompanyDetail } from './companies/CompanyDetail.js';
import { CompanyList } from './companies/CompanyList.js';
import '../components/ui/record-view.css';
import './companies/companies.css';

/** The Companies section. */
export function CompaniesPage({ route }: { route: Route }) {
  return route.id !== undefined ? <CompanyDetail key={route.id} id={route.id} /> : <CompanyList />;
}
