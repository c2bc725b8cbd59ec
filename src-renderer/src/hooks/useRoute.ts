/**
 * Hash routing (`#/contacts`, `#/contacts/<id>`, `#/search?q=ana`): no navigation ever leaves the page, which the
 * Electron shell blocks anyway.
 * @module
 */
import { useEffect, useState } from 'react';

/** The app's sections, in sidebar order. */
export const SECTIONS = [
  'dashboard',
  'contacts',
  'companies',
  'deals',
  'tasks',
  'search',
  'import',
  'trash',
  'settings',
] as const;

/** One section. */
export type Section = (typeof SECTIONS)[number];

/** Where the user is: a section, optionally one record of it (`id`), and the query string's parameters. */
export interface Route {
  section: Section;
  /** The record shown (`#/contacts/<id>`), if any. */
  id?: string;
  /** Parameters after `?` (`#/search?q=ana`). */
  params: Record<string, string>;
}

const ID = /^[A-Za-z0-9_.:-]{1,128}$/;

/** The route named by a location hash; the dashboard for anything it does not know. */
export function routeOf(hash: string): Route {
  const [path = '', search = ''] = hash.replace(/^#\/?/, '').split('?', 2);
  const params = Object.fromEntries(new URLSearchParams(search));
  const [name = '', id, ...rest] = path.split('/');
  if (!(SECTIONS as readonly string[]).includes(name) || rest.length > 0)
    return { section: 'dashboard', params: {} };
  const section = name as Section;
  if (id === undefined || id === '') return { section, params };
  const decoded = safeDecode(id);
  return decoded !== null && ID.test(decoded) ? { section, id: decoded, params } : { section, params };
}

function safeDecode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** The hash that shows `section` (and record `id`, and `params`). */
export function hrefOf(section: Section, id?: string, params?: Record<string, string>): string {
  const query = params && Object.keys(params).length > 0 ? `?${new URLSearchParams(params).toString()}` : '';
  return `#/${section}${id !== undefined ? `/${encodeURIComponent(id)}` : ''}${query}`;
}

/** Goes to `section` (and record `id`). */
export function navigate(section: Section, id?: string, params?: Record<string, string>): void {
  window.location.hash = hrefOf(section, id, params);
}

/** The current route, following `hashchange`. */
export function useRoute(): Route {
  const [route, setRoute] = useState<Route>(() => routeOf(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(routeOf(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
