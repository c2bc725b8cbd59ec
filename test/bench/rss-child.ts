/**
 * Child process of the peak-RSS benchmark: reads a whole log one way and prints its peak resident set size.
 * Run as `node --import tsx rss-child.ts <readFull|scanFull|bare> <dataset.json>`; prints one JSON line.
 * A fresh process per measurement, so the peak (the kernel's high-water mark) belongs to this read alone.
 * @module
 */
import { readFileSync } from 'node:fs';
import { EventReader } from '../../core/log/index.js';
import type { LogDataset } from './data.js';
import { bareReadLog } from './limits.js';

/** What the child prints. */
export interface RssReport {
  mode: string;
  /** Peak RSS of the whole process (KiB). */
  peakKiB: number;
  /** Peak RSS after loading modules, before reading (KiB). */
  baseKiB: number;
  events: number;
  ms: number;
}

async function main(): Promise<void> {
  const [mode, datasetFile] = process.argv.slice(2);
  if (!mode || !datasetFile) throw new Error('usage: rss-child.ts <readFull|scanFull|bare> <dataset.json>');
  const ds = JSON.parse(readFileSync(datasetFile, 'utf8')) as LogDataset;
  const reader = await EventReader.open(ds.dir);
  const baseKiB = process.resourceUsage().maxRSS;
  let events = 0;
  const t = performance.now();
  if (mode === 'readFull') {
    for await (const { event } of reader.readFull()) if (event.type.length > 0) events++;
  } else if (mode === 'scanFull') {
    await reader.scanFull((event) => {
      if (event.type.length > 0) events++;
    });
  } else if (mode === 'bare') {
    await bareReadLog(ds, (v) => {
      if ((v as { type: string }).type.length > 0) events++;
    });
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
  const report: RssReport = {
    mode,
    peakKiB: process.resourceUsage().maxRSS,
    baseKiB,
    events,
    ms: performance.now() - t,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
