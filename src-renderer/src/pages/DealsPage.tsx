/**
 * Deals: the pipeline board, or one deal's detail view when the route names it.
 * @module
 */
import type { Route } from '../hooks/useRoute.js';
import { DealBoard } from './deals/DealBoard.js';
import { DealDetail } from './deals/DealDetail.js';
import '../components/ui/record-view.css';
import './deals/deals.css';

/** The Deals section. */
export function DealsPage({ route }: { route: Route }) {
  return route.id !== undefined ? <DealDetail key={route.id} id={route.id} /> : <DealBoard route={route} />;
}
