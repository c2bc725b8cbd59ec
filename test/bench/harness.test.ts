/**
 * Smoke test of the benchmark harness: `run.ts` runs one case at the smallest scale in a real child process and
 * writes valid result JSON. No timing is asserted (timings belong to `npm run bench`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { REPO_ROOT } from './child.js';
import type { SuiteResult } from './harness.js';
import { parseArgs } from './options.js';
import { summarize } from './harness.js';

function runBench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', join(REPO_ROOT, 'test/bench/run.ts'), ...args],
      { cwd: REPO_ROOT },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('bench harness', () => {
  it('runs one log case at the smallest scale and writes its results as JSON', async () => {
    const out = outDir();
    const { code, stdout, stderr } = await runBench([
      'log',
      '--case',
      'append',
      '--scale',
      '0.001',
      '--out',
      out,
    ]);
    expect(stderr).not.toMatch(/Error/);
    expect(code).toBe(0);
    expect(stdout).toContain('| append p50');

    const result = JSON.parse(readFileSync(join(out, 'log.json'), 'utf8')) as SuiteResult;
    expect(result.suite).toBe('log');
    expect(result.scale).toBe(0.001);
    expect(result.machine.cpus).toBeGreaterThan(0);
    expect(result.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(result.machine.date))).toBe(false);
    expect(result.rows.map((r) => r.metric)).toEqual(['append p50', 'append p99']);
    for (const row of result.rows) {
      expect(row.reps).toHaveLength(3);
      expect(row.ours).toBeGreaterThan(0);
      expect(row.limit).toBeGreaterThan(0);
      expect(row.ratio).toBeCloseTo(row.ours / row.limit!, 9);
      expect(row.reps.every((r) => r.info?.appends === 100)).toBe(true);
    }
    expect(typeof result.rows[0]!.pass).toBe('boolean');
    expect(result.rows[1]!.pass).toBeNull(); // p99 has no target: reported only
  });

  it('--compare writes compare.json with our engine on the same workloads', async () => {
    const out = outDir();
    const { code, stdout } = await runBench([
      '--compare',
      '--case',
      'disk',
      '--scale',
      '0.001',
      '--reps',
      '1',
      '--out',
      out,
    ]);
    expect(code).toBe(0);
    expect(stdout).toContain('disk bytes/event, active');
    const result = JSON.parse(readFileSync(join(out, 'compare.json'), 'utf8')) as SuiteResult;
    expect(result.suite).toBe('compare');
    const active = result.rows.find((r) => r.metric === 'disk bytes/event, active')!;
    // Our log stores each event as one JSON line: at least the line itself, plus little more.
    expect(active.ours).toBeGreaterThanOrEqual(active.limit!);
    expect(active.ours).toBeLessThan(active.limit! * 1.5);
  });

  it('rejects an unknown suite with a usage message', async () => {
    const { code, stderr } = await runBench(['no-such-suite', '--out', outDir()]);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown suite no-such-suite');
  });
});

describe('bench options and medians', () => {
  it('reads the scale from --scale, then BENCH_SCALE, then defaults to 1', () => {
    expect(parseArgs([], {}).scale).toBe(1);
    expect(parseArgs([], { BENCH_SCALE: '0.1' }).scale).toBe(0.1);
    expect(parseArgs(['--scale=0.5'], { BENCH_SCALE: '0.1' }).scale).toBe(0.5);
    expect(parseArgs(['log', '--compare', '--case', 'rss']).suites).toEqual(['log']);
    expect(() => parseArgs(['--scale', 'x'])).toThrow(/positive number/);
  });

  it('takes medians per column and judges the ratio against the target in the right direction', () => {
    const lower = summarize('c', { name: 'lat', unit: 'µs', better: 'lower', target: 1.3 }, [
      { ours: 100, limit: 90 },
      { ours: 300, limit: 80 },
      { ours: 110, limit: 100 },
    ]);
    expect(lower.ours).toBe(110);
    expect(lower.limit).toBe(90);
    expect(lower.pass).toBe(true);
    const higher = summarize('c', { name: 'tput', unit: 'events/s', better: 'higher', target: 0.5 }, [
      { ours: 40, limit: 100, peers: { sqlite: 20 } },
    ]);
    expect(higher.pass).toBe(false);
    expect(higher.peerRatios.sqlite).toBe(2);
  });
});
