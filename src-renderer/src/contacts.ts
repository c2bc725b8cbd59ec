/**
 * The contact as the renderer shows it (what `contact.list` returns).
 * @module
 */

/** One contact of the list. */
export interface ContactView {
  id: string;
  name: string;
  email?: string;
  /** Unix seconds. */
  createdAt: number;
}
