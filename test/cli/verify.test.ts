import { existsSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvent, EventWriter, lineHash } from '../../core/log/index.js';
import { AggregateStore } from '../../core/es/index.js';
import { copyFixture, RUST_FIXTURES } from '../helpers/log.js';
import {
  appendRaw,
  eventfold,
  eventfoldJson,
  lineStarts,
  makeEsStore,
  makeLog,
  makeStore,
  replaceLineAt,
  writeCheckpoint,
} from './helpers.js';

interface Problem {
  kind: string;
  file: string;
  offset: number;
  message: string;
  repairable: boolean;
}
interface VerifyJson {
  ok: boolean;
  kind: string;
  checked: {
    logs: number;
    lines: number;
    frames: number;
    snapshots: number;
    checkpoints: number;
    records: number;
  };
  problems: Problem[];
  notes?: { file: string; message: string }[];
  found?: Problem[];
  repaired?: { file: string; action: string }[];
}

const dropSnapshot = (dir: string): void => rmSync(join(dir, 'views', 'count.snapshot.json'));

const verify = (dir: string, ...extra: string[]) => eventfoldJson<VerifyJson>(['verify', dir, ...extra]);

describe('verify on a healthy folder', () => {
  it('checks every line, frame and snapshot and exits 0', async () => {
    const dir = await makeLog(5, 4);
    const { code, json } = await verify(dir);
    expect(code).toBe(0);
    expect(json).toEqual({
      ok: true,
      kind: 'log',
      dir,
      checked: { logs: 1, lines: 9, frames: 1, snapshots: 1, checkpoints: 0, records: 0 },
      problems: [],
    });
    const human = await eventfold(['verify', dir]);
    expect(human.stdout).toContain('1 log, 9 lines, 1 archive frame, 1 snapshot');
    expect(human.stdout).toContain('OK: no problems found.');
  });

  it('accepts the Rust crate’s files (archive, snapshots, escapes)', async () => {
    const { code, json } = await verify(join(RUST_FIXTURES, 'basic'));
    expect(code).toBe(0);
    expect(json.checked).toMatchObject({ lines: 12, frames: 2, snapshots: 2 });
  });
});

describe('verify finds damage, with file and byte offset', () => {
  it('a torn last line: reported, repairable, truncated by --repair (exit 1, then 0)', async () => {
    const dir = await makeLog(0, 3);
    const log = join(dir, 'app.jsonl');
    const size = statSync(log).size;
    appendRaw(log, '{"type":"half","da');
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.ok).toBe(false);
    expect(json.problems).toEqual([
      {
        kind: 'torn-tail',
        file: log,
        offset: size,
        message: expect.stringContaining(`at byte ${size} (18 bytes`),
        repairable: true,
      },
    ]);
    const human = await eventfold(['verify', dir]);
    expect(human.code).toBe(1);
    expect(human.stdout).toContain(`${log}: torn last line at byte ${size}`);
    expect(human.stdout).toContain('1 problem found (1 can be repaired with --repair).');

    const fixed = await verify(dir, '--repair');
    expect(fixed.code).toBe(0);
    expect(fixed.json.found).toHaveLength(1);
    expect(fixed.json.repaired).toEqual([{ file: log, action: 'truncated 18 bytes of a torn last line' }]);
    expect(fixed.json.problems).toEqual([]);
    expect(statSync(log).size).toBe(size);
  });

  it('the Rust fixture with a partial last line', async () => {
    const dir = copyFixture(join(RUST_FIXTURES, 'partial-tail'));
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems).toMatchObject([{ kind: 'torn-tail', offset: 135, repairable: true }]);
  });

  it('a corrupt line in the middle of the log: exact offset, never deleted by --repair', async () => {
    const dir = await makeLog(0, 5);
    const log = join(dir, 'app.jsonl');
    const at = lineStarts(log)[2]!;
    replaceLineAt(log, at, '{"type":"broken", oops}');
    const before = readFileSync(log);
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    const corrupt = json.problems.find((p) => p.kind === 'corrupt-line');
    expect(corrupt).toMatchObject({ file: log, offset: at, repairable: false });
    expect(corrupt!.message).toContain(`corrupt line at byte ${at}: not valid JSON`);

    const r = await verify(dir, '--repair');
    expect(r.code).toBe(1);
    expect(r.json.problems.some((p) => p.kind === 'corrupt-line' && p.offset === at)).toBe(true);
    expect(readFileSync(log).equals(before)).toBe(true);
    const human = await eventfold(['verify', dir, '--repair']);
    expect(human.stdout).toContain('[not repairable]');
  });

  it('a line that is JSON but not an event, and a line of NUL bytes mid-log', async () => {
    const dir = await makeLog(0, 4);
    dropSnapshot(dir); // the edits move offsets: its (legitimate) rejection is tested elsewhere
    const log = join(dir, 'app.jsonl');
    const starts = lineStarts(log);
    replaceLineAt(log, starts[1]!, '{"data":1,"ts":5}');
    const nulAt = lineStarts(log)[2]!;
    replaceLineAt(log, nulAt, '\0\0\0\0');
    const { json } = await verify(dir);
    expect(json.problems.map((p) => [p.kind, p.offset])).toEqual([
      ['corrupt-line', starts[1]],
      ['corrupt-line', nulAt],
    ]);
    expect(json.problems[0]!.message).toContain('missing string field `type`');
    expect(json.problems[1]!.message).toContain('NUL');
  });

  it('an unfinished batch (and NUL space after it) is rolled back by --repair', async () => {
    const dir = await makeLog(0, 2);
    const log = join(dir, 'app.jsonl');
    const size = statSync(log).size;
    appendRaw(
      log,
      '{"type":"a","data":1,"ts":1,"more":true}\n{"type":"b","data":2,"ts":1,"more":true}\n\0\0\0\0\0\0',
    );
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems.map((p) => [p.kind, p.offset, p.repairable])).toEqual([
      ['unfinished-batch', size, true],
      ['torn-tail', size + 82, true],
    ]);
    const fixed = await verify(dir, '--repair');
    expect(fixed.code).toBe(0);
    expect(fixed.json.repaired!.map((r) => r.action)).toEqual([
      'truncated 6 bytes of a torn last line',
      'removed 2 lines of an unfinished batch',
    ]);
    expect(statSync(log).size).toBe(size);
  });

  it('a snapshot whose hash does not match: reported with the snapshot file, deleted by --repair', async () => {
    const dir = await makeLog(0, 3);
    const snap = join(dir, 'views', 'count.snapshot.json');
    const s = JSON.parse(readFileSync(snap, 'utf8')) as { state: number; offset: number; hash: string };
    writeFileSync(snap, JSON.stringify({ ...s, hash: 'deadbeefdeadbeef' }));
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems).toEqual([
      {
        kind: 'bad-snapshot',
        file: snap,
        offset: s.offset,
        message: expect.stringContaining(
          `its hash deadbeefdeadbeef does not match the line before offset ${s.offset}`,
        ),
        repairable: true,
      },
    ]);
    const fixed = await verify(dir, '--repair');
    expect(fixed.code).toBe(0);
    expect(fixed.json.repaired).toEqual([
      { file: snap, action: expect.stringContaining('deleted the snapshot') },
    ]);
    expect(existsSync(snap)).toBe(false);
  });

  it('snapshots that are unreadable or point past the end of the log', async () => {
    const dir = await makeLog(0, 2);
    writeFileSync(join(dir, 'views', 'a.snapshot.json'), '{"state":1,"off');
    writeFileSync(
      join(dir, 'views', 'b.snapshot.json'),
      JSON.stringify({ state: 1, offset: 1_000_000, hash: '' }),
    );
    const { json } = await verify(dir);
    expect(json.problems.map((p) => p.message)).toEqual([
      expect.stringContaining('unreadable'),
      expect.stringContaining('offset 1000000 is beyond the end of the log'),
    ]);
  });

  it('a corrupt archive frame: the frame and byte are named, not repairable', async () => {
    const dir = await makeLog(3, 1);
    dropSnapshot(dir); // left behind by the rotation below: rejected, tested elsewhere
    const archive = join(dir, 'archive.jsonl.zst');
    const firstFrame = statSync(archive).size;
    // A second frame, then cut it short: "runs past the end of the file".
    const w = await EventWriter.open(dir);
    await w.append(createEvent('more', { n: 1 }, { ts: 1 }));
    await w.rotate();
    await w.close();
    truncateSync(archive, statSync(archive).size - 5);
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems).toEqual([
      {
        kind: 'corrupt-archive',
        file: archive,
        offset: firstFrame,
        message: expect.stringContaining(`archive frame 2 at byte ${firstFrame} cannot be read`),
        repairable: false,
      },
    ]);
    expect(json.checked.frames).toBe(1);
    // Overwritten magic number of the first frame.
    const bytes = readFileSync(archive);
    bytes.writeUInt32LE(0x12345678, 0);
    writeFileSync(archive, bytes);
    const again = await verify(dir, '--repair');
    expect(again.code).toBe(1);
    expect(again.json.problems[0]).toMatchObject({
      kind: 'corrupt-archive',
      offset: 0,
      message: expect.stringContaining('bad magic number'),
    });
    expect(again.json.repaired).toEqual([]);
  });

  it('a corrupt line inside the archive: its offset in the decompressed history', async () => {
    const dir = await makeLog(0, 3);
    dropSnapshot(dir);
    const log = join(dir, 'app.jsonl');
    const at = lineStarts(log)[1]!;
    replaceLineAt(log, at, 'not json at all');
    const w = await EventWriter.open(dir); // rotation moves bytes as they are
    await w.rotate();
    await w.close();
    const { json } = await verify(dir);
    expect(json.problems).toEqual([
      {
        kind: 'corrupt-archive-line',
        file: join(dir, 'archive.jsonl.zst'),
        offset: at,
        message: expect.stringContaining(`corrupt line at decompressed byte ${at} of the archive`),
        repairable: false,
      },
    ]);
  });

  it('an interrupted rotation (rotation.json): --repair settles it as opening the log does', async () => {
    const dir = await makeLog(0, 3);
    const log = join(dir, 'app.jsonl');
    const text = readFileSync(log, 'utf8');
    const lastLine = text.trimEnd().split('\n').at(-1)!;
    writeFileSync(
      join(dir, 'rotation.json'),
      JSON.stringify({ archiveSize: 0, activeSize: Buffer.byteLength(text), activeHash: lineHash(lastLine) }),
    );
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems).toMatchObject([
      { kind: 'rotation-pending', file: join(dir, 'rotation.json'), repairable: true },
    ]);
    const fixed = await verify(dir, '--repair');
    expect(fixed.code).toBe(0);
    expect(fixed.json.repaired).toEqual([
      { file: dir, action: 'undid an interrupted rotation (the archive was cut back)' },
    ]);
    expect(existsSync(join(dir, 'rotation.json'))).toBe(false);
    expect(readFileSync(log, 'utf8')).toBe(text);
  });
});

describe('verify --repair refuses while the folder is in use', () => {
  it('exits 1 with the lock holder and changes nothing', async () => {
    const dir = await makeLog(0, 2);
    const w = await EventWriter.open(dir);
    const log = join(dir, 'app.jsonl');
    appendRaw(log, '{"type":"half"');
    try {
      const r = await eventfold(['verify', dir, '--repair']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Refusing to repair: the folder is in use');
      expect(r.stderr).toContain(`process ${process.pid} on`);
      expect(r.stderr).toContain('Close the app that uses it');
      expect(readFileSync(log, 'utf8').endsWith('{"type":"half"')).toBe(true);
      // Without --repair, verify still reads (and reports) while the app runs.
      const ro = await verify(dir);
      expect(ro.code).toBe(1);
      expect(ro.json.problems[0]!.kind).toBe('torn-tail');
    } finally {
      await w.close();
    }
  });
});

describe('verify on a store', () => {
  it('a healthy store: every stream, snapshot, checkpoint and record', async () => {
    const store = await makeStore();
    const { code, json } = await verify(store.dir);
    expect(code).toBe(0);
    expect(json.checked).toEqual({ logs: 3, lines: 7, frames: 0, snapshots: 3, checkpoints: 2, records: 5 });
  });

  it('damage in streams, checkpoints and dead letters; --repair fixes only what is safe', async () => {
    const store = await makeStore();
    const c1 = join(store.dir, 'streams', 'contact', 'c1', 'app.jsonl');
    const c1Size = statSync(c1).size;
    appendRaw(c1, '{"type":"Torn"');
    const proj = writeCheckpoint(store.dir, 'projections', 'contact_list', {
      state: {},
      cursors: { 'contact/c1': { offset: store.ends['contact/c1']![0]!.offset, hash: 'ffffffffffffffff' } },
    });
    const pm = writeCheckpoint(store.dir, 'process_managers', 'deal_tasks', {
      state: null,
      cursors: { 'deal/gone': { offset: 10, hash: 'x' } },
    });
    const letters = join(store.dir, 'process_managers', 'deal_tasks', 'dead_letters.jsonl');
    appendRaw(letters, 'garbage\n');

    const { code, json } = await verify(store.dir);
    expect(code).toBe(1);
    const kinds = json.problems.map((p) => [p.kind, p.file, p.repairable]);
    expect(kinds).toEqual([
      ['torn-tail', c1, true],
      ['bad-checkpoint', proj, true],
      ['bad-checkpoint', pm, false],
      ['corrupt-record', letters, false],
    ]);
    expect(json.problems[1]!.message).toContain('cursor contact/c1: hash ffffffffffffffff does not match');
    expect(json.problems[2]!.message).toContain('the stream deal/gone does not exist');
    expect(json.problems[2]!.message).toContain('dispatch its commands again');
    expect(json.problems[3]!.offset).toBeGreaterThan(0);

    const r = await verify(store.dir, '--repair');
    expect(r.code).toBe(1);
    expect(r.json.repaired).toEqual([
      { file: c1, action: 'truncated 14 bytes of a torn last line' },
      {
        file: proj,
        action: 'deleted the checkpoint of projection "contact_list"; the store rebuilds it on open',
      },
    ]);
    expect(r.json.problems.map((p) => p.kind)).toEqual(['bad-checkpoint', 'corrupt-record']);
    expect(statSync(c1).size).toBe(c1Size);
    expect(existsSync(proj)).toBe(false);
    expect(existsSync(pm)).toBe(true);
  });

  it('refuses --repair while a stream is held by a writer', async () => {
    const store = await makeStore();
    const w = await EventWriter.open(join(store.dir, 'streams', 'deal', 'd1'));
    try {
      const r = await eventfoldJson(['verify', store.dir, '--repair']);
      expect(r.code).toBe(1);
      expect(r.json).toMatchObject({
        ok: false,
        error: { code: 'IN_USE', message: expect.stringContaining(join('deal', 'd1')) },
      });
    } finally {
      await w.close();
    }
  });
});

describe('verify --repair of a store takes the store lock', () => {
  it('refuses while a process has the store open (its streams have no lock folders of their own)', async () => {
    const store = await makeStore();
    const log = join(store.dir, 'streams', 'deal', 'd1', 'app.jsonl');
    appendRaw(log, '{"type":"half"');
    const open = await AggregateStore.builder(store.dir).open();
    try {
      const r = await eventfold(['verify', store.dir, '--repair']);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain('Refusing to repair: the folder is in use');
      expect(r.stderr).toContain(`process ${process.pid} on`);
      expect(readFileSync(log, 'utf8').endsWith('{"type":"half"')).toBe(true);
    } finally {
      await open.close();
    }
    const fixed = await eventfold(['verify', store.dir, '--repair']);
    expect(fixed.code).toBe(0);
    expect(readFileSync(log, 'utf8').endsWith('{"type":"half"')).toBe(false);
    expect(existsSync(join(store.dir, 'meta', 'store.lock'))).toBe(false); // released after the repair
  });
});

describe('verify on a store written by core/es (position checkpoints, stream index)', () => {
  it('finds no problem in its position checkpoints and stream index', async () => {
    const dir = await makeEsStore();
    const { code, json } = await verify(dir);
    expect(code).toBe(0);
    expect(json).toMatchObject({ ok: true, problems: [], notes: [] });
    expect(json.checked.checkpoints).toBe(1);
    expect((await eventfold(['verify', dir])).stdout).toContain('OK: no problems found.');
  });

  it('a position beyond the last one the store gave out is a problem; rebuild fixes it', async () => {
    const dir = await makeEsStore();
    const lease = (JSON.parse(readFileSync(join(dir, 'meta', 'sequence.json'), 'utf8')) as { leased: number })
      .leased;
    const file = writeCheckpoint(dir, 'projections', 'totals', {
      state: 9,
      position: lease + 1000,
      version: 1,
      types: ['counter'],
    });
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems).toHaveLength(1);
    expect(json.problems[0]).toMatchObject({ kind: 'bad-checkpoint', file, repairable: true });
    expect(json.problems[0]!.message).toContain(`position ${lease + 1000} is beyond the last position`);
    expect(json.problems[0]!.message).toContain(`eventfold rebuild ${dir} --projection totals`);

    expect((await eventfold(['rebuild', dir, '--projection', 'totals'])).code).toBe(0);
    expect((await verify(dir)).code).toBe(0);
  });

  it('a process manager with such a position is a problem it does not repair', async () => {
    const dir = await makeEsStore();
    writeCheckpoint(dir, 'process_managers', 'follow_up', { state: null, position: 10_000_000, types: '*' });
    const r = await verify(dir, '--repair');
    expect(r.code).toBe(1);
    expect(r.json.problems).toMatchObject([{ kind: 'bad-checkpoint', repairable: false }]);
    expect(r.json.problems[0]!.message).toContain('fix it by hand');
  });

  it('does not report stale cursors of a checkpoint that has a position (the store ignores them)', async () => {
    const dir = await makeEsStore();
    const file = join(dir, 'projections', 'totals', 'checkpoint.json');
    const cp = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...cp, cursors: { 'counter/a': { offset: 7, hash: 'ffff' } } }));
    expect(await verify(dir)).toMatchObject({ code: 0, json: { problems: [] } });
  });

  it('a checkpoint with neither a position nor cursors is a problem', async () => {
    const dir = await makeEsStore();
    writeCheckpoint(dir, 'projections', 'totals', { state: 3 });
    const { code, json } = await verify(dir);
    expect(code).toBe(1);
    expect(json.problems[0]!.message).toContain('neither a `position` nor a `cursors` object');
  });

  it('a stream index entry behind its log, or an unreadable index, is a note, not a problem', async () => {
    const dir = await makeEsStore();
    const w = await EventWriter.open(join(dir, 'streams', 'counter', 'b'));
    await w.append(createEvent('Added', { n: 1 }, { ts: 1_800_000_000 }));
    await w.close();
    const index = join(dir, 'meta', 'stream-index.json');
    const { code, json } = await verify(dir);
    expect(code).toBe(0);
    expect(json.problems).toEqual([]);
    expect(json.notes).toEqual([
      {
        file: index,
        message: expect.stringContaining('stream index entry of counter/b: behind its log') as string,
      },
    ]);
    const human = await eventfold(['verify', dir]);
    expect(human.stdout).toContain(`note: ${index}: stream index entry of counter/b`);
    expect(human.stdout).toContain('OK: no problems found.');

    writeFileSync(index, 'not json');
    const broken = await verify(dir);
    expect(broken.code).toBe(0);
    expect(broken.json.notes).toEqual([
      { file: index, message: expect.stringContaining('the store rebuilds it on open') as string },
    ]);
  });
});
