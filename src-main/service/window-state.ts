/**
 * Remembering the main window's size and position between launches: a small JSON file in the user-data folder,
 * written atomically, read defensively (a damaged file falls back to defaults), and fitted back onto the
 * displays that exist now (a monitor may have been unplugged since).
 * @module
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../core/log/index.js';

/** A rectangle in screen coordinates. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** What is remembered. `x`/`y` are absent when the window should be centred. */
export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

/** The window's size on first launch. */
export const DEFAULT_WINDOW_STATE: WindowState = { width: 1200, height: 800, maximized: false };

/** The smallest size the window can have. */
export const MIN_WINDOW_SIZE = { width: 720, height: 480 } as const;

const coordinate = z.number().int().min(-100_000).max(100_000);
const stateSchema = z.object({
  x: coordinate.optional(),
  y: coordinate.optional(),
  width: z.number().int().positive().max(100_000),
  height: z.number().int().positive().max(100_000),
  maximized: z.boolean(),
});

/** Reads the saved state from `file`; defaults when the file is missing or damaged. */
export function readWindowState(file: string): WindowState {
  try {
    const parsed = stateSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : { ...DEFAULT_WINDOW_STATE };
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
}

/** Saves `state` to `file` atomically (a crash leaves the old or the new file, never half of one). */
export function writeWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, `${JSON.stringify(stateSchema.parse(state))}\n`);
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Fits `state` onto the displays' work areas: the size is capped to the largest work area (and raised to the
 * minimum), and a window that would be mostly off-screen loses its position (so it gets centred).
 */
export function fitToDisplays(state: WindowState, workAreas: readonly Rect[]): WindowState {
  if (workAreas.length === 0) return { ...state };
  const maxW = Math.max(...workAreas.map((a) => a.width));
  const maxH = Math.max(...workAreas.map((a) => a.height));
  const width = Math.max(Math.min(state.width, maxW), Math.min(MIN_WINDOW_SIZE.width, maxW));
  const height = Math.max(Math.min(state.height, maxH), Math.min(MIN_WINDOW_SIZE.height, maxH));
  const fitted: WindowState = { width, height, maximized: state.maximized };
  if (state.x === undefined || state.y === undefined) return fitted;
  const rect = { x: state.x, y: state.y, width, height };
  // Keep the position only if at least half of the window is on one display.
  const visible = Math.max(...workAreas.map((a) => overlap(rect, a)));
  if (visible * 2 >= width * height) {
    fitted.x = state.x;
    fitted.y = state.y;
  }
  return fitted;
}
