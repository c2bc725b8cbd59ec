/**
 * The app icon, drawn in code: a blue rounded square with three white "log lines" (the last one shorter, being
 * appended). `npx tsx src-main/tools/icon.ts` writes `resources/icon.png` (1024 px; electron-builder derives
 * the macOS .icns and Windows .ico from it). Deterministic: the same bytes every time.
 * @module
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePng } from './png.js';

/** Size of `resources/icon.png`. */
export const ICON_SIZE = 1024;

/** Signed distance from (px, py) to a rounded rectangle (negative inside). */
function roundedRect(px: number, py: number, x: number, y: number, w: number, h: number, r: number): number {
  const qx = Math.abs(px - (x + w / 2)) - (w / 2 - r);
  const qy = Math.abs(py - (y + h / 2)) - (h / 2 - r);
  const outside = Math.hypot(Math.max(qx, 0), Math.max(qy, 0));
  return outside + Math.min(Math.max(qx, qy), 0) - r;
}

/** Coverage (0..1) of a pixel by a shape at signed distance `d`: one pixel of anti-aliasing. */
const coverage = (d: number): number => Math.min(1, Math.max(0, 0.5 - d));

/** Renders the icon as RGBA pixels. */
export function renderIcon(size = ICON_SIZE): Uint8Array {
  const s = size / 1024;
  const pixels = new Uint8Array(size * size * 4);
  // macOS-style margin: the artwork fills about 80% of the canvas.
  const tile = { x: 100 * s, y: 100 * s, w: 824 * s, h: 824 * s, r: 185 * s };
  const bars = [
    { x: 260 * s, y: 330 * s, w: 504 * s },
    { x: 260 * s, y: 474 * s, w: 504 * s },
    { x: 260 * s, y: 618 * s, w: 300 * s },
  ];
  const barH = 76 * s;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const inTile = coverage(roundedRect(px, py, tile.x, tile.y, tile.w, tile.h, tile.r));
      if (inTile === 0) continue;
      // Vertical gradient from #4c6ef5 (top) to #364fc7 (bottom).
      const t = (py - tile.y) / tile.h;
      let r = 0x4c + (0x36 - 0x4c) * t;
      let g = 0x6e + (0x4f - 0x6e) * t;
      let b = 0xf5 + (0xc7 - 0xf5) * t;
      let white = 0;
      for (const bar of bars)
        white = Math.max(white, coverage(roundedRect(px, py, bar.x, bar.y, bar.w, barH, barH / 2)));
      r += (255 - r) * white;
      g += (255 - g) * white;
      b += (255 - b) * white;
      const i = (y * size + x) * 4;
      pixels[i] = Math.round(r);
      pixels[i + 1] = Math.round(g);
      pixels[i + 2] = Math.round(b);
      pixels[i + 3] = Math.round(255 * inTile);
    }
  }
  return pixels;
}

/** The icon as PNG bytes. */
export function iconPng(size = ICON_SIZE): Buffer {
  return encodePng(size, size, renderIcon(size));
}

/** Where the icon is kept. */
export const ICON_PATH = resolve(fileURLToPath(new URL('../../resources/icon.png', import.meta.url)));

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(ICON_PATH, iconPng());
  console.log(`wrote ${ICON_PATH}`);
}
