import { describe, expect, it } from 'vitest';
import { eventfold, eventfoldJson, makeLog, makeStore } from './helpers.js';

interface LogReplay {
  ok: boolean;
  until: { events: number } | { ts: number; time: string } | null;
  events: number;
  state: {
    byType: Record<string, number>;
    first: { type: string } | null;
    last: { type: string; data: { i: number }; time: string } | null;
  };
}
interface StreamReplay {
  stream: string;
  events: number;
  state: {
    fields: Record<string, unknown>;
    version: number;
    changedBy: Record<string, string>;
    last: { type: string } | null;
  };
}

describe('replay on a log folder', () => {
  it('--until n folds the first n events of the whole history (archive included)', async () => {
    const dir = await makeLog(4, 4);
    const { code, json } = await eventfoldJson<LogReplay>(['replay', dir, '--until', '5']);
    expect(code).toBe(0);
    expect(json).toMatchObject({
      ok: true,
      until: { events: 5 },
      events: 5,
      state: { byType: { even: 3, odd: 2 } },
    });
    expect(json.state.first!.type).toBe('even');
    expect(json.state.last).toMatchObject({ type: 'even', data: { i: 4 }, time: '2023-11-14T22:13:24Z' });
  });

  it('--until <ISO date> folds the events at or before that instant', async () => {
    const dir = await makeLog(0, 6);
    // Event i has ts 1_700_000_000 + i = 2023-11-14T22:13:20Z + i s.
    const { json } = await eventfoldJson<LogReplay>(['replay', dir, '--until', '2023-11-14T22:13:22Z']);
    expect(json.until).toEqual({ ts: 1_700_000_002, time: '2023-11-14T22:13:22Z' });
    expect(json.events).toBe(3);
    expect(json.state.last!.data.i).toBe(2);
    const all = await eventfoldJson<LogReplay>(['replay', dir]);
    expect(all.json.events).toBe(6);
    const human = await eventfold(['replay', dir, '--until', '2']);
    expect(human.stdout).toContain('the first 2 events: 2 events folded');
    expect(human.stdout).toMatch(/even: 1\n\s+odd: 1/);
  });

  it('rejects a --until that is neither a number nor a date, and --stream on a log folder (exit 2)', async () => {
    const dir = await makeLog(0, 1);
    const bad = await eventfold(['replay', dir, '--until', 'last tuesday']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--until takes an ISO date');
    expect((await eventfold(['replay', dir, '--stream', 'a/b'])).code).toBe(2);
  });
});

describe('replay on a store stream', () => {
  it('prints the entity as last value per data field, as of a date or an event count', async () => {
    const store = await makeStore();
    // contact/c1: Created {name, email} @1714000000, Renamed {name} @1714000004, EmailChanged {email} @1714000006.
    const mid = await eventfoldJson<StreamReplay>([
      'replay',
      store.dir,
      '--stream',
      'contact/c1',
      '--until',
      '2024-04-24T23:06:45Z',
    ]);
    expect(mid.code).toBe(0);
    expect(mid.json.state).toMatchObject({
      fields: { name: 'Ana María', email: 'ana@example.com' },
      version: 2,
      changedBy: { name: 'ContactRenamed', email: 'ContactCreated' },
      last: { type: 'ContactRenamed' },
    });
    const first = await eventfoldJson<StreamReplay>([
      'replay',
      store.dir,
      '--stream',
      'contact/c1',
      '--until',
      '1',
    ]);
    expect(first.json.state.fields).toEqual({ name: 'Ana', email: 'ana@example.com' });
    const now = await eventfold(['replay', store.dir, '--stream', 'contact/c1']);
    expect(now.stdout).toContain('contact/c1: the whole history: version 3');
    expect(now.stdout).toContain('"email": "ana@work.example"');
  });

  it('needs --stream on a store (exit 2) and names a missing stream (exit 1)', async () => {
    const store = await makeStore();
    const none = await eventfold(['replay', store.dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('a store needs --stream <type>/<id>');
    const missing = await eventfold(['replay', store.dir, '--stream', 'contact/zz']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('has no stream contact/zz (2 streams of type "contact")');
  });
});

describe('replay of a CRM read model (--projection)', () => {
  it("folds the app's own projection as of a date or a global position, while the app holds the store", async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { createCrmBackend } = await import('../../core/crm/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'cli-crm-'));
    let now = new Date('2026-02-01T10:00:00Z');
    const crm = await createCrmBackend(dir, { store: { clock: () => now } });
    const first = await crm.execute({ command: 'CreateContact', input: { firstName: 'Early' } });
    now = new Date('2026-02-05T10:00:00Z');
    await crm.execute({ command: 'CreateContact', input: { firstName: 'Late' } });
    expect(first.ok).toBe(true);
    const position = first.ok ? (first.value as { position: number }).position : 0;
    type Rows = { projection: string; state: { rows: Record<string, { firstName: string }> } };
    const names = (r: Rows): string[] =>
      Object.values(r.state.rows)
        .map((row) => row.firstName)
        .sort();
    // The app is still running (the store is locked): replay only reads.
    const byDate = await eventfoldJson<Rows>([
      'replay',
      dir,
      '--projection',
      'crm-contacts',
      '--until',
      '2026-02-03T00:00:00Z',
    ]);
    expect(byDate.code).toBe(0);
    expect(names(byDate.json)).toEqual(['Early']);
    const byPosition = await eventfoldJson<Rows>([
      'replay',
      dir,
      '--projection',
      'crm-contacts',
      '--until',
      String(position),
    ]);
    expect(names(byPosition.json)).toEqual(['Early']);
    const all = await eventfoldJson<Rows>(['replay', dir, '--projection', 'crm-contacts']);
    expect(names(all.json)).toEqual(['Early', 'Late']);
    const unknown = await eventfold(['replay', dir, '--projection', 'nope']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('crm-contacts');
    expect(
      (await eventfold(['replay', dir, '--projection', 'crm-contacts', '--stream', 'contact/x'])).code,
    ).toBe(2);
    await crm.close();
  });
});
