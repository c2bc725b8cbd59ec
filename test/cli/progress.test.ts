import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../core/cli/format.js';
import { renderProgress } from '../../core/cli/progress.js';
import { BIN, eventfold, makeLog, makeStore } from './helpers.js';

describe('renderProgress', () => {
  it('draws a bar with a percentage and sizes, or a bare count without a total', () => {
    expect(renderProgress('verify', 512, 2048, 'bytes')).toBe(
      'verify  [######..................]  25%  512 B / 2.0 KiB',
    );
    expect(renderProgress('export', 3, 3, 'items')).toBe('export  [########################] 100%  3 / 3');
    expect(renderProgress('info', 1500, null, 'items')).toBe('info  1,500');
    expect(renderProgress('x', 5, 2, 'items')).toContain('100%'); // never past the end
  });
});

describe('the progress bar of long commands', () => {
  it('goes to stderr only, leaving --json output clean (forced with EVENTFOLD_PROGRESS=1)', async () => {
    const store = await makeStore();
    const r = await eventfold(['verify', store.dir, '--json'], { env: { EVENTFOLD_PROGRESS: '1' } });
    expect(r.code).toBe(0);
    expect(() => JSON.parse(r.stdout)).not.toThrow();
    expect(r.stderr).toContain('verify  [########################] 100%  3 / 3');
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const dir = await makeLog(2, 2);
    const r = await eventfold(['verify', dir], { env: { EVENTFOLD_PROGRESS: '' } });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('is drawn when stderr is a terminal (a real pty through script(1))', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) {
      console.log('skipped: script(1) from util-linux is not installed, no pty to test with');
      ctx.skip();
    }
    const dir = await makeLog(2, 2);
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} verify ${JSON.stringify(dir)} > /dev/null`;
    const r = spawnSync('script', ['-qec', cmd, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, EVENTFOLD_PROGRESS: '' },
      timeout: 30_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/verify {2}\d+(\.\d)? (B|KiB)/);
  });

  it('is drawn on a terminal by rebuild, export and import too, and ends at 100%', async (ctx) => {
    if (spawnSync('script', ['--version']).status !== 0) {
      console.log('skipped: script(1) from util-linux is not installed, no pty to test with');
      ctx.skip();
    }
    const dir = await makeLog(3, 2);
    const file = join(dirname(dir), 'export.jsonl');
    const into = join(dirname(dir), 'imported');
    const onPty = (args: string[]): string => {
      const cmd = [process.execPath, BIN, ...args].map((a) => JSON.stringify(a)).join(' ');
      const r = spawnSync('script', ['-qec', `${cmd} > /dev/null`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, EVENTFOLD_PROGRESS: '' },
        timeout: 30_000,
      });
      expect(r.status, r.stdout).toBe(0);
      return r.stdout; // only stderr reaches the pty: stdout went to /dev/null
    };
    // One view snapshot to delete: a bar out of 1.
    expect(onPty(['rebuild', dir])).toContain('rebuild  [########################] 100%  1 / 1');
    // A log folder is exported event by event (no total known in advance): the count of the 5 events.
    expect(onPty(['export', dir, '--out', file])).toMatch(/export {2}5\s*$/m);
    // Import counts the bytes of the export file.
    const size = formatBytes(statSync(file).size);
    expect(onPty(['import', file, '--into', into])).toContain(`] 100%  ${size} / ${size}`);
    expect(readFileSync(join(into, 'app.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
  });
});
