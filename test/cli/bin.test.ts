import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/log.js';
import { BIN, eventfold, eventfoldJson, makeLog, ROOT } from './helpers.js';

const COMMANDS = ['info', 'verify', 'tail', 'replay', 'rotate', 'rebuild', 'export', 'import'];

describe('the eventfold program', () => {
  it('runs through `npx eventfold` (the package.json bin) in plain Node', () => {
    const r = spawnSync('npx', ['--no-install', 'eventfold', '--help'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: eventfold <command>/);
    for (const c of COMMANDS) expect(r.stdout).toContain(`  ${c} `);
  });

  it('runs from another working directory, on a relative path', async () => {
    const dir = await makeLog(0, 3);
    const r = await eventfold(['info', 'data'], { cwd: join(dir, '..') });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('3 events');
  });

  it.each(COMMANDS)('`%s --help` prints its usage and exits 0', async (name) => {
    const r = await eventfold([name, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Usage: eventfold ${name} `));
    expect(r.stdout).toContain('--json');
    expect(r.stdout).toContain('Exit codes: 0 ok, 1 problem found');
  });

  it('`help <command>` is the same as `<command> --help`', async () => {
    const a = await eventfold(['help', 'verify']);
    const b = await eventfold(['verify', '--help']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it('prints the version', async () => {
    const r = await eventfold(['--version']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('exit codes and errors', () => {
  it('exits 2 with the command list when no command is given', async () => {
    const r = await eventfold([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('Usage: eventfold <command>');
  });

  it('exits 2 on an unknown command, and suggests a close one', async () => {
    const r = await eventfold(['verfy', '.']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown command "verfy" (did you mean "verify"?)');
  });

  it('exits 2 on an unknown option or a missing argument, pointing at the command help', async () => {
    const unknown = await eventfold(['info', '--frobnicate', '.']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Unknown option '--frobnicate'/);
    expect(unknown.stderr).toContain('eventfold info --help');
    const missing = await eventfold(['verify']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('missing <dir>');
    const extra = await eventfold(['info', 'a', 'b']);
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('unexpected argument "b"');
  });

  it('exits 1 with a clear message on a folder that is not an event log', async () => {
    const empty = tempDir('eventfold-cli-empty-');
    mkdirSync(join(empty, 'x'));
    const r = await eventfold(['info', empty]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${empty} holds no event log`);
    const missing = await eventfold(['verify', join(empty, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('does not exist');
  });

  it('with --json, errors are a JSON document on stdout', async () => {
    const missing = await eventfoldJson(['info', '/nonexistent/eventfold']);
    expect(missing.code).toBe(1);
    expect(missing.json).toEqual({
      ok: false,
      error: { code: 'NOT_EVENTFOLD_DIR', message: expect.stringContaining('does not exist') },
    });
    const usage = await eventfoldJson(['replay', '/tmp', '--until', 'yesterday-ish']);
    expect(usage.code).toBe(2);
    expect(usage.json).toMatchObject({ ok: false, error: { code: 'USAGE' } });
  });

  it('the bin file is executable with a node shebang', () => {
    const r = spawnSync(BIN, ['--help'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: eventfold/);
  });
});
