import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
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
});
