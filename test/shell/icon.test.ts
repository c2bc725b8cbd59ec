import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ICON_PATH, ICON_SIZE, iconPng, renderIcon } from '../../src-main/tools/icon.js';
import { crc32, encodePng, PNG_SIGNATURE } from '../../src-main/tools/png.js';

interface Chunk {
  type: string;
  data: Buffer;
}

/** Splits a PNG into chunks, checking every CRC. */
function chunks(png: Buffer): Chunk[] {
  expect(png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
  const out: Chunk[] = [];
  for (let at = 8; at < png.length;) {
    const length = png.readUInt32BE(at);
    const typeAndData = png.subarray(at + 4, at + 8 + length);
    expect(png.readUInt32BE(at + 8 + length)).toBe(crc32(typeAndData));
    out.push({ type: typeAndData.subarray(0, 4).toString('ascii'), data: typeAndData.subarray(4) });
    at += 12 + length;
  }
  return out;
}

/** Decodes an unfiltered 8-bit RGBA PNG (what encodePng writes). */
function decode(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const list = chunks(png);
  const ihdr = list[0]!;
  expect(ihdr.type).toBe('IHDR');
  const width = ihdr.data.readUInt32BE(0);
  const height = ihdr.data.readUInt32BE(4);
  expect([ihdr.data[8], ihdr.data[9]]).toEqual([8, 6]);
  expect(list.at(-1)!.type).toBe('IEND');
  const raw = inflateSync(Buffer.concat(list.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  expect(raw.length).toBe(height * (1 + width * 4));
  const rgba = Buffer.alloc(width * height * 4);
  for (let y = 0; y < height; y++) {
    expect(raw[y * (1 + width * 4)]).toBe(0);
    raw.copy(rgba, y * width * 4, y * (1 + width * 4) + 1, (y + 1) * (1 + width * 4));
  }
  return { width, height, rgba };
}

describe('PNG encoder and app icon', () => {
  it('computes the standard CRC-32', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
  });

  it('round-trips pixels through encodePng', () => {
    const rgba = Uint8Array.from({ length: 3 * 2 * 4 }, (_, i) => (i * 37) % 256);
    const decoded = decode(encodePng(3, 2, rgba));
    expect([decoded.width, decoded.height]).toEqual([3, 2]);
    expect([...decoded.rgba]).toEqual([...rgba]);
    expect(() => encodePng(3, 2, new Uint8Array(5))).toThrow(RangeError);
  });

  it('resources/icon.png is the generated icon (regenerate with `npx tsx src-main/tools/icon.ts`)', () => {
    expect(readFileSync(ICON_PATH).equals(iconPng())).toBe(true);
  });

  it('draws an opaque tile with transparent corners and white bars', () => {
    const pixels = renderIcon(ICON_SIZE);
    const at = (x: number, y: number) => [
      ...pixels.subarray((y * ICON_SIZE + x) * 4, (y * ICON_SIZE + x) * 4 + 4),
    ];
    expect(at(0, 0)[3]).toBe(0);
    expect(at(ICON_SIZE - 1, ICON_SIZE - 1)[3]).toBe(0);
    expect(at(512, 200)[3]).toBe(255);
    expect(at(512, 368)).toEqual([255, 255, 255, 255]);
    expect(at(700, 656)[0]).toBeLessThan(120);
  });
});
