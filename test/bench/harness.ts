/**
 * The benchmark harness: suites of cases, each repeated and reduced to medians, compared with a physical limit
 * measured in the same run (and with peer stores in `--compare` mode), written as JSON under `results/`.
 *
 * A case does its own timing (latency percentiles, throughput, peak RSS) and returns one {@link Sample} per
 * metric for each repetition; the harness takes the median of every column across repetitions.
 * @module
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { arch, cpus, loadavg, platform, release, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.js';

/** Which direction is good for a metric. */
export type Better = 'lower' | 'higher';

/** One row of the table: what is measured, its unit, and the target for ours/limit. */
export interface Metric {
  /** Row label, unique within its suite, e.g. `append p50`. */
  name: string;
  /** Unit of the values, e.g. `µs`, `events/s`, `MiB`. */
  unit: string;
  better: Better;
  /**
   * Target for ours/limit: ours/limit ≤ target when `better` is `lower`, ≥ target when `higher`.
   * Absent: the row is reported without a verdict.
   */
  target?: number;
  /** What the limit column holds, e.g. `bare write+fdatasync`. */
  limit?: string;
}

/** One repetition's values for one metric. */
export interface Sample {
  ours: number;
  /** The physical limit (or reference) measured in the same repetition; `null` when there is none. */
  limit: number | null;
  /** Peer stores' values (`--compare`), by peer name. */
  peers?: Record<string, number>;
  /** Free-form facts worth keeping (sizes, counts). */
  info?: Record<string, number | string>;
}

/** What a case and a suite can use while running. */
export interface BenchContext {
  /** Workload multiplier: 1 = the documented sizes (1M events, 1 GB archive); 0.1 = a quick run. */
  scale: number;
  /** A temp directory for this suite run (removed at the end). */
  tmp: string;
  /** Progress output (stderr), so stdout keeps only the table. */
  log(message: string): void;
  /** `n` scaled, rounded, and at least `min`. */
  scaled(n: number, min?: number): number;
  /** Builds a shared resource once per suite run (a generated data set, an opened store). */
  memo<T>(key: string, build: () => Promise<T>): Promise<T>;
  /** Registers a cleanup (close a store) run at the end of the suite, before `tmp` is removed. */
  onDispose(cleanup: () => Promise<void> | void): void;
}

/** A measured case: one or more metrics from one workload. */
export interface BenchCase {
  name: string;
  metrics: Metric[];
  /** One repetition: a sample for every metric, by metric name. */
  run(ctx: BenchContext): Promise<Record<string, Sample>>;
}

/** A named group of cases, selectable from the command line (`npm run bench -- log`). */
export interface Suite {
  name: string;
  description: string;
  cases(ctx: BenchContext): BenchCase[] | Promise<BenchCase[]>;
}

/** One row of the results: medians, the verdict and every repetition. */
export interface ResultRow {
  case: string;
  metric: string;
  unit: string;
  better: Better;
  limitLabel: string | null;
  target: number | null;
  ours: number;
  limit: number | null;
  peers: Record<string, number>;
  /** ours/limit of the medians. */
  ratio: number | null;
  /** ours/peer of the medians, by peer. */
  peerRatios: Record<string, number>;
  /** `null` when there is no target or no limit. */
  pass: boolean | null;
  reps: Sample[];
}

/** Where and when a run happened. */
export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  totalMemMiB: number;
  node: string;
  platform: string;
  arch: string;
  kernel: string;
  tmpdir: string;
  date: string;
  loadavgStart: number[];
  loadavgEnd: number[];
}

/** The JSON written to `results/<suite>.json`. */
export interface SuiteResult {
  suite: string;
  description: string;
  scale: number;
  reps: number;
  durationMs: number;
  machine: MachineInfo;
  rows: ResultRow[];
}

/** How to run suites. */
export interface RunOptions {
  scale: number;
  reps: number;
  /** Only cases whose name contains one of these (case-insensitive); empty = all. */
  caseFilter: string[];
  /** Directory for `<suite>.json`. */
  outDir: string;
  log(message: string): void;
}

function machineInfo(loadStart: number[]): MachineInfo {
  const cpu = cpus();
  return {
    cpus: cpu.length,
    cpuModel: cpu[0]?.model ?? 'unknown',
    totalMemMiB: Math.round(totalmem() / 2 ** 20),
    node: process.version,
    platform: platform(),
    arch: arch(),
    kernel: release(),
    tmpdir: tmpdir(),
    date: new Date().toISOString(),
    loadavgStart: loadStart.map((l) => Number(l.toFixed(2))),
    loadavgEnd: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

function makeContext(
  scale: number,
  tmp: string,
  log: (m: string) => void,
  cleanups: (() => Promise<void> | void)[],
): BenchContext {
  const cache = new Map<string, Promise<unknown>>();
  return {
    onDispose: (cleanup) => cleanups.push(cleanup),
    scale,
    tmp,
    log,
    scaled: (n, min = 1) => Math.max(min, Math.round(n * scale)),
    memo<T>(key: string, build: () => Promise<T>): Promise<T> {
      let p = cache.get(key) as Promise<T> | undefined;
      if (!p) {
        p = build();
        cache.set(key, p);
      }
      return p;
    },
  };
}

/** Reduces the repetitions of one metric to a row (medians of each column, ratios of the medians). */
export function summarize(caseName: string, metric: Metric, reps: Sample[]): ResultRow {
  const ours = median(reps.map((r) => r.ours));
  const limits = reps.map((r) => r.limit).filter((l): l is number => l !== null);
  const limit = limits.length > 0 ? median(limits) : null;
  const peerNames = [...new Set(reps.flatMap((r) => Object.keys(r.peers ?? {})))];
  const peers: Record<string, number> = {};
  const peerRatios: Record<string, number> = {};
  for (const name of peerNames) {
    peers[name] = median(reps.map((r) => r.peers?.[name]).filter((v): v is number => v !== undefined));
    peerRatios[name] = ours / peers[name];
  }
  const ratio = limit !== null && limit !== 0 ? ours / limit : null;
  const target = metric.target ?? null;
  let pass: boolean | null = null;
  if (target !== null && ratio !== null) pass = metric.better === 'lower' ? ratio <= target : ratio >= target;
  return {
    case: caseName,
    metric: metric.name,
    unit: metric.unit,
    better: metric.better,
    limitLabel: metric.limit ?? null,
    target,
    ours,
    limit,
    peers,
    ratio,
    peerRatios,
    pass,
    reps,
  };
}

/**
 * Runs every selected case of `suite` `reps` times, writes `<outDir>/<suite>.json` and returns the result.
 * A case that throws fails the run (a benchmark that silently skips work would report nonsense).
 */
export async function runSuite(suite: Suite, options: RunOptions): Promise<SuiteResult> {
  const started = Date.now();
  const loadStart = loadavg();
  const tmp = mkdtempSync(join(tmpdir(), `eventfold-bench-${suite.name}-`));
  const cleanups: (() => Promise<void> | void)[] = [];
  const ctx = makeContext(options.scale, tmp, options.log, cleanups);
  const rows: ResultRow[] = [];
  try {
    const filters = options.caseFilter.map((f) => f.toLowerCase());
    const cases = (await suite.cases(ctx)).filter(
      (c) => filters.length === 0 || filters.some((f) => c.name.toLowerCase().includes(f)),
    );
    for (const c of cases) {
      const perMetric = new Map<string, Sample[]>(c.metrics.map((m) => [m.name, []]));
      for (let rep = 1; rep <= options.reps; rep++) {
        options.log(`[${suite.name}] ${c.name}: repetition ${rep}/${options.reps}`);
        const samples = await c.run(ctx);
        for (const m of c.metrics) {
          const s = samples[m.name];
          if (!s) throw new Error(`Case "${c.name}" returned no sample for metric "${m.name}".`);
          perMetric.get(m.name)!.push(s);
        }
      }
      for (const m of c.metrics) rows.push(summarize(c.name, m, perMetric.get(m.name)!));
    }
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
  const result: SuiteResult = {
    suite: suite.name,
    description: suite.description,
    scale: options.scale,
    reps: options.reps,
    durationMs: Date.now() - started,
    machine: machineInfo(loadStart),
    rows,
  };
  mkdirSync(options.outDir, { recursive: true });
  writeFileSync(join(options.outDir, `${suite.name}.json`), `${JSON.stringify(result, null, 2)}\n`);
  return result;
}
