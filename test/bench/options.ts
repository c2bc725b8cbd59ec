/**
 * Command line of `npm run bench`: which suites, at what scale, how many repetitions, where results go.
 * @module
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Parsed command line. */
export interface BenchOptions {
  /** Suite names; empty = every default suite. */
  suites: string[];
  scale: number;
  reps: number;
  /** Also run the `compare` suite (ours vs peers), writing `compare.json`. */
  compare: boolean;
  /** Case-name substrings (`--case append`); empty = all cases. */
  cases: string[];
  outDir: string;
  help: boolean;
}

/** Usage text. */
export const USAGE = `usage: npm run bench -- [suite...] [--compare] [--scale N] [--reps N] [--case NAME]... [--out DIR]

  suite       log | es | compare (default: every suite but compare)
  --compare   run the compare suite (ours vs peer stores) and write results/compare.json
  --scale N   workload multiplier, default 1 (1M events, 1 GB archive; a few minutes).
              0.1 is a quick run (under a minute). Also BENCH_SCALE=N.
  --reps N    repetitions per case, default 3 (the median is reported)
  --case S    only cases whose name contains S (repeatable)
  --out DIR   where <suite>.json goes, default test/bench/results`;

/** The default results folder, next to this file. */
export const DEFAULT_OUT = join(dirname(fileURLToPath(import.meta.url)), 'results');

/** An argument is not understood. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n\n${USAGE}`);
    this.name = 'UsageError';
  }
}

function positive(flag: string, value: string | undefined): number {
  const n = Number(value);
  if (value === undefined || !Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} needs a positive number`);
  return n;
}

/** Parses `argv` (without node and script) and the environment. */
export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const opts: BenchOptions = {
    suites: [],
    scale: env.BENCH_SCALE ? positive('BENCH_SCALE', env.BENCH_SCALE) : 1,
    reps: 3,
    compare: false,
    cases: [],
    outDir: DEFAULT_OUT,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split('=', 2) : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--scale':
        opts.scale = positive('--scale', value());
        break;
      case '--reps':
        opts.reps = Math.round(positive('--reps', value()));
        break;
      case '--case': {
        const v = value();
        if (!v) throw new UsageError('--case needs a name');
        opts.cases.push(v);
        break;
      }
      case '--out': {
        const v = value();
        if (!v) throw new UsageError('--out needs a directory');
        opts.outDir = resolve(v);
        break;
      }
      case '--compare':
        opts.compare = true;
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
        opts.suites.push(arg);
    }
  }
  return opts;
}
