/**
 * `npm run bench -- [suite...] [--compare] [--scale N]`: runs benchmark suites, prints their tables and writes
 * `test/bench/results/<suite>.json`. Progress goes to stderr, tables to stdout.
 * @module
 */
import { compareSuite } from './compare.bench.js';
import { crmSuite } from './crm.bench.js';
import { esSuite } from './es.bench.js';
import { runSuite, type Suite } from './harness.js';
import { logSuite } from './log.bench.js';
import { parseArgs, USAGE, UsageError } from './options.js';
import { formatSuite } from './report.js';

/** Every suite, in run order. */
const SUITES: Suite[] = [logSuite, esSuite, crmSuite, compareSuite];
/** Suites that run only when named (or with `--compare`). */
const OPT_IN = new Set(['compare']);

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  if (opts.help) {
    console.log(USAGE);
    return 0;
  }
  const unknown = opts.suites.filter((n) => !SUITES.some((s) => s.name === n));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown suite ${unknown.join(', ')} (known: ${SUITES.map((s) => s.name).join(', ')})`,
    );
  }
  const names = new Set(opts.suites);
  if (opts.compare) names.add('compare');
  const selected =
    names.size > 0 ? SUITES.filter((s) => names.has(s.name)) : SUITES.filter((s) => !OPT_IN.has(s.name));
  let failed = 0;
  for (const suite of selected) {
    const result = await runSuite(suite, {
      scale: opts.scale,
      reps: opts.reps,
      caseFilter: opts.cases,
      outDir: opts.outDir,
      log: (m) => console.error(m),
    });
    console.log(formatSuite(result));
    failed += result.rows.filter((r) => r.pass === false).length;
  }
  if (failed > 0) console.log(`${failed} row(s) missed their target.`);
  // Missing a target is a finding, not a crash: exit 0 so the JSON is used; errors exit 1.
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof UsageError ? err.message : err);
    process.exit(err instanceof UsageError ? 2 : 1);
  },
);
