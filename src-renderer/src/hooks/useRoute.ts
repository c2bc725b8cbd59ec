/**
 * Hash routing (`#/contacts`): no navigation ever leaves the page, which the Electron shell blocks anyway.
 * @module
 */
import { useEffect, useState } from 'react';

/** The app's sections, in sidebar order. */
export const ROUTES = ['dashboard', 'contacts', 'companies', 'deals', 'tasks'] as const;

/** One section. */
export type Route = (typeof ROUTES)[number];

/** The section named by a location hash (`#/contacts`); the dashboard for anything else. */
export function routeOf(hash: string): Route {
  const name = hash.replace(/^#\/?/, '');
  return (ROUTES as readonly string[]).includes(name) ? (name as Route) : 'dashboard';
}

/** The current section, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
