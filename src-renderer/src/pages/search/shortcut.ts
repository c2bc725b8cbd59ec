/**
 * The keyboard shortcut that focuses the global search box.
 * @module
 */

/** Whether a key press is the "focus search" shortcut (Ctrl+K, or Cmd+K on a Mac). */
export function isSearchShortcut(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'k';
}
