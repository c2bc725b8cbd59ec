/** Optional event metadata (id, actor, meta) through the whole engine: append, read, views, rotation, rebuild. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEvent, EventLog, EventReader, EventWriter, View, type Event } from '../../core/log/index.js';
import { logDir, readAll, readHistory } from '../helpers/log.js';

const perActor = (s: Record<string, number>, e: Event): Record<string, number> => {
  const who = e.actor ?? '(none)';
  return { ...s, [who]: (s[who] ?? 0) + 1 };
};

describe('metadata', () => {
  it('is appended and read back', async () => {
    const w = await EventWriter.open(logDir());
    const e = createEvent(
      'note_added',
      { text: 'x' },
      { ts: 1, id: 'evt-1', actor: 'ana', meta: { correlation_id: 'c-9' } },
    );
    await w.append(e);
    expect(await readAll(w.reader())).toEqual([e]);
    await w.close();
  });

  it('a reducer can use the actor', async () => {
    const log = await EventLog.builder(logDir())
      .view('per_actor', perActor, () => ({}))
      .open();
    await log.append(createEvent('t', null, { ts: 1, actor: 'ana' }));
    await log.append(createEvent('t', null, { ts: 1, actor: 'bo' }));
    await log.append(createEvent('t', null, { ts: 1, actor: 'ana' }));
    await log.append(createEvent('t', null, { ts: 1 }));
    await log.refreshAll();
    expect(log.view('per_actor')).toEqual({ ana: 2, bo: 1, '(none)': 1 });
    await log.close();
  });

  it('a view folds a mix of legacy lines (no metadata) and new ones', async () => {
    const dir = logDir();
    await (await EventWriter.open(dir)).close();
    writeFileSync(
      join(dir, 'app.jsonl'),
      '{"type":"t","data":null,"ts":1}\n{"type":"t","data":null,"ts":2,"id":"e2","actor":"ana","meta":{"k":1}}\n',
    );
    const v = new View('per_actor', perActor, () => ({}), join(dir, 'views'));
    expect(await v.refresh(await EventReader.open(dir))).toEqual({ '(none)': 1, ana: 1 });
  });

  it('survives rotation: readFull from the archive and a rebuild see it', async () => {
    const log = await EventLog.builder(logDir())
      .maxLogSize(0)
      .view('per_actor', perActor, () => ({}))
      .open();
    const e1 = createEvent('t', 1, { ts: 1, id: 'a', actor: 'ana', meta: { schema_version: 2 } });
    const e2 = createEvent('t', 2, { ts: 2, id: 'b', actor: 'bo' });
    await log.append(e1);
    await log.rotate();
    await log.append(e2);
    expect(await readHistory(log.reader())).toEqual([e1, e2]);
    expect(await log.getView('per_actor').rebuild(log.reader())).toEqual({ ana: 1, bo: 1 });
    await log.close();
  });
});
