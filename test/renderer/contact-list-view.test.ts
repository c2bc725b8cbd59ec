import { describe, expect, it } from 'vitest';
import {
  contactListParams,
  emptyMessage,
  initialListView,
  nextRowIndex,
  pageCount,
  PAGE_SIZE,
  rangeLabel,
  updateView,
} from '../../src-renderer/src/pages/contacts/list-view.js';

describe('contact list view', () => {
  it('asks contact.list for one page with the filters of the view', () => {
    expect(contactListParams(initialListView())).toEqual({
      sort: 'name',
      dir: 'asc',
      offset: 0,
      limit: PAGE_SIZE,
      archived: 'hide',
      trash: 'hide',
    });
    const view = { q: '  zoe ', tag: 'vip', show: 'trash' as const, sort: 'updatedAt' as const, page: 2 };
    expect(contactListParams(view)).toEqual({
      q: 'zoe',
      tag: 'vip',
      sort: 'updatedAt',
      dir: 'desc',
      offset: 2 * PAGE_SIZE,
      limit: PAGE_SIZE,
      archived: 'hide',
      trash: 'only',
    });
    expect(contactListParams({ ...view, show: 'archived' })).toMatchObject({
      archived: 'only',
      trash: 'hide',
    });
  });

  it('goes back to the first page when a filter changes', () => {
    const v = { ...initialListView(), page: 3 };
    expect(updateView(v, { q: 'a' }).page).toBe(0);
    expect(updateView(v, { page: 4 }).page).toBe(4);
  });

  it('labels pages and empty states', () => {
    expect(pageCount(0)).toBe(1);
    expect(pageCount(100_000)).toBe(2000);
    expect(rangeLabel(0, 0, 0)).toBe('0 contacts');
    expect(rangeLabel(1, 50, 1234)).toBe('51–100 of 1,234');
    expect(emptyMessage(initialListView())).toMatch(/No contacts yet/);
    expect(emptyMessage({ ...initialListView(), q: 'x' })).toMatch(/No contacts match/);
    expect(emptyMessage({ ...initialListView(), show: 'trash' })).toMatch(/trash/);
  });

  it('moves the keyboard focus within the rows', () => {
    expect(nextRowIndex(0, 'ArrowDown', 3)).toBe(1);
    expect(nextRowIndex(2, 'ArrowDown', 3)).toBe(2);
    expect(nextRowIndex(0, 'ArrowUp', 3)).toBe(0);
    expect(nextRowIndex(1, 'End', 3)).toBe(2);
    expect(nextRowIndex(1, 'Home', 3)).toBe(0);
    expect(nextRowIndex(1, 'x', 3)).toBeNull();
    expect(nextRowIndex(0, 'ArrowDown', 0)).toBeNull();
  });
});
