import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EventLog, EventWriter } from '../../core/log/index.js';
import { count, eventfold, eventfoldJson, makeLog, makeStore } from './helpers.js';

const snap = (dir: string, name: string): string => join(dir, 'views', `${name}.snapshot.json`);

describe('rebuild on a log folder', () => {
  it('deletes one view’s snapshot (--view) or all of them; the engine rebuilds the same state', async () => {
    const dir = await makeLog(3, 3);
    const log = await EventLog.builder(dir)
      .maxLogSize(0)
      .view('count', count, 0)
      .view('other', count, 100)
      .open();
    await log.close();
    const one = await eventfoldJson<{ deleted: string[] }>(['rebuild', dir, '--view', 'count']);
    expect(one.code).toBe(0);
    expect(one.json.deleted).toEqual([snap(dir, 'count')]);
    expect(existsSync(snap(dir, 'other'))).toBe(true);
    const reopened = await EventLog.builder(dir)
      .maxLogSize(0)
      .view('count', count, 0)
      .view('other', count, 100)
      .open();
    expect(reopened.recovery.viewsRebuilt).toEqual([{ name: 'count', reason: 'no snapshot' }]);
    expect(reopened.view('count')).toBe(6);
    await reopened.close();

    const all = await eventfold(['rebuild', dir]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain('Deleted 2 files');
    expect(existsSync(snap(dir, 'count'))).toBe(false);
    expect(existsSync(snap(dir, 'other'))).toBe(false);
    expect((await eventfold(['rebuild', dir])).stdout).toContain('Nothing to delete');
  });

  it('names the known views when --view does not exist, and rejects --projection on a log folder', async () => {
    const dir = await makeLog(0, 1);
    const r = await eventfold(['rebuild', dir, '--view', 'nope']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no snapshot of a view "nope" (snapshots: count)');
    expect((await eventfold(['rebuild', dir, '--projection', 'p'])).code).toBe(2);
    expect((await eventfold(['rebuild', dir, '--projection', 'p', '--view', 'v'])).code).toBe(2);
  });

  it('refuses while the app holds the lock', async () => {
    const dir = await makeLog(0, 2);
    const w = await EventWriter.open(dir);
    try {
      const r = await eventfold(['rebuild', dir]);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Refusing to rebuild: the folder is in use');
      expect(existsSync(snap(dir, 'count'))).toBe(true);
    } finally {
      await w.close();
    }
  });
});

describe('rebuild on a store', () => {
  it('--projection deletes only that checkpoint; never a process manager’s', async () => {
    const store = await makeStore();
    const proj = join(store.dir, 'projections', 'contact_list', 'checkpoint.json');
    const pm = join(store.dir, 'process_managers', 'deal_tasks', 'checkpoint.json');
    const r = await eventfoldJson<{ deleted: string[] }>([
      'rebuild',
      store.dir,
      '--projection',
      'contact_list',
    ]);
    expect(r.code).toBe(0);
    expect(r.json.deleted).toEqual([proj]);
    expect(existsSync(pm)).toBe(true);
    const unknown = await eventfold(['rebuild', store.dir, '--projection', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no projection "nope" (projections: contact_list)');
  });

  it('--view deletes that snapshot in every stream; no option deletes all projections and snapshots', async () => {
    const store = await makeStore();
    const views = await eventfoldJson<{ deleted: string[] }>(['rebuild', store.dir, '--view', 'state']);
    expect(views.json.deleted).toHaveLength(3);
    expect(views.json.deleted.every((f) => f.endsWith(join('views', 'state.snapshot.json')))).toBe(true);
    const store2 = await makeStore();
    const all = await eventfoldJson<{ deleted: string[] }>(['rebuild', store2.dir]);
    expect(all.json.deleted).toHaveLength(4);
    expect(existsSync(join(store2.dir, 'process_managers', 'deal_tasks', 'checkpoint.json'))).toBe(true);
  });

  it('refuses while a stream is held', async () => {
    const store = await makeStore();
    const w = await EventWriter.open(join(store.dir, 'streams', 'contact', 'c1'));
    try {
      const r = await eventfold(['rebuild', store.dir, '--projection', 'contact_list']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Refusing to rebuild');
    } finally {
      await w.close();
    }
  });
});
