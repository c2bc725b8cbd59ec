/**
 * Favorites: pinned records.
 * @module
 */
import type { CrmExtension } from './extension.js';

/** Favorites: pinned records. */
export const favoritesExtension: CrmExtension = {};
