import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_WINDOW_STATE,
  fitToDisplays,
  MIN_WINDOW_SIZE,
  readWindowState,
  writeWindowState,
} from '../../src-main/service/window-state.js';
import { tempDir } from './helpers.js';

const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const external = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('window state', () => {
  it('round-trips through its file (creating the folder) and defaults when missing or damaged', () => {
    const file = join(tempDir(), 'nested', 'window-state.json');
    expect(readWindowState(file)).toEqual(DEFAULT_WINDOW_STATE);
    writeWindowState(file, { x: 10, y: 20, width: 1000, height: 700, maximized: true });
    expect(readWindowState(file)).toEqual({ x: 10, y: 20, width: 1000, height: 700, maximized: true });
    for (const damaged of [
      '{',
      '[]',
      '{"width":"big","height":1,"maximized":false}',
      '{"width":-5,"height":1,"maximized":false}',
    ]) {
      writeFileSync(file, damaged);
      expect(readWindowState(file), damaged).toEqual(DEFAULT_WINDOW_STATE);
    }
  });

  it('refuses to write an invalid state (the file keeps the last good one)', () => {
    const file = join(tempDir(), 'window-state.json');
    writeWindowState(file, { width: 900, height: 600, maximized: false });
    expect(() => writeWindowState(file, { width: Number.NaN, height: 600, maximized: false })).toThrow();
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ width: 900, height: 600, maximized: false });
  });

  it('keeps a position that is on a display', () => {
    const state = { x: 1600, y: 100, width: 1200, height: 800, maximized: false };
    expect(fitToDisplays(state, [laptop, external])).toEqual(state);
  });

  it('drops a position on a display that is gone, and shrinks a window larger than any display', () => {
    const state = { x: 1600, y: 100, width: 2400, height: 1300, maximized: true };
    expect(fitToDisplays(state, [laptop])).toEqual({ width: 1440, height: 900, maximized: true });
  });

  it('raises a tiny window to the minimum size', () => {
    expect(fitToDisplays({ width: 100, height: 50, maximized: false }, [laptop])).toEqual({
      width: MIN_WINDOW_SIZE.width,
      height: MIN_WINDOW_SIZE.height,
      maximized: false,
    });
  });
});
