/**
 * Ids of native menu items that code outside the menu refers to (the e2e tests click them through the main
 * process). Kept apart from the menu so Node code can import them without loading Electron.
 * @module
 */

/** File > New Window. */
export const NEW_WINDOW_ITEM_ID = 'new-window';
