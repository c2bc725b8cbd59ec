import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createCrmBackend } from '../../core/crm/crm-backend.js';
import { EventLog } from '../../core/log/index.js';
import { describeStartupError } from '../../src-main/service/startup-error.js';
import { openTestBackend, tempDir } from './helpers.js';

async function openError(dataDir: string): Promise<unknown> {
  try {
    const backend = await createCrmBackend(dataDir, { version: '1' });
    await backend.close();
  } catch (err) {
    return err;
  }
  throw new Error(`opening ${dataDir} unexpectedly succeeded`);
}

/** What reading a log with a damaged line throws (the store itself heals its registry and checkpoints). */
async function readError(logDir: string): Promise<unknown> {
  try {
    const log = await EventLog.builder(logDir).open();
    for await (const _ of log.reader().readFull()) void _;
    await log.close();
  } catch (err) {
    return err;
  }
  throw new Error(`reading ${logDir} unexpectedly succeeded`);
}

describe('startup problems become a dialog, never a blank window', () => {
  it('a data folder locked by another backend', async () => {
    const { dataDir } = await openTestBackend();
    const problem = describeStartupError(await openError(dataDir), dataDir);
    expect(problem.code).toBe('LOCKED');
    expect(problem.title).toBe('The data folder is in use');
    expect(problem.message).toContain(dataDir);
    expect(problem.detail).toContain('already open');
  });

  it('a data folder whose log has a damaged line', async () => {
    const dataDir = join(tempDir(), 'data');
    mkdirSync(join(dataDir, 'log'), { recursive: true });
    writeFileSync(
      join(dataDir, 'log', 'app.jsonl'),
      '{"type":"contact_created","data":{"id":"1","name":"A"},"ts":1}\nthis is not json\n{"type":"x","data":null,"ts":2}\n',
    );
    const problem = describeStartupError(await readError(join(dataDir, 'log')), dataDir);
    expect(problem.code).toBe('CORRUPT');
    expect(problem.message).toContain('did not change anything');
  });

  it('a data folder path that is a file', async () => {
    const file = join(tempDir(), 'data');
    writeFileSync(file, 'not a folder');
    const problem = describeStartupError(await openError(file), file);
    expect(problem.code).toBe('NO_ACCESS');
    expect(problem.message).toContain('--data-dir');
  });

  it('anything else', () => {
    const problem = describeStartupError(new Error('boom'), '/d');
    expect(problem).toMatchObject({ code: 'UNKNOWN', detail: 'boom' });
    expect(describeStartupError('text', '/d').detail).toBe('text');
  });
});
