import { describe, expect, it } from 'vitest';
import type { ChangeNotification } from '../../core/crm/backend.js';
import { PushHub } from '../../src-main/service/push-hub.js';
import { createShutdown } from '../../src-main/service/shutdown.js';
import { createContact, openTestBackend } from './helpers.js';
import { createCrmBackend } from '../../core/crm/crm-backend.js';

describe('push hub: change notifications to every window', () => {
  it('fans out to attached targets, stops for detached and failing ones, and stops entirely on close', async () => {
    const { backend } = await openTestBackend();
    const warnings: string[] = [];
    const hub = new PushHub(backend, { warn: (m) => warnings.push(m) });
    const a: ChangeNotification[] = [];
    const b: ChangeNotification[] = [];
    hub.attach({ send: (n) => a.push(n) });
    const detachB = hub.attach({ send: (n) => b.push(n) });
    hub.attach({
      send: () => {
        throw new Error('window destroyed');
      },
    });
    expect(hub.size).toBe(3);
    const until = async (check: () => boolean): Promise<void> => {
      for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    };
    const ana = await backend.execute(createContact('Ana'));
    await until(() => a.length === 1);
    expect(hub.size).toBe(2);
    expect(warnings).toHaveLength(1);
    detachB();
    detachB();
    const bo = await backend.execute(createContact('Bo'));
    await until(() => a.length === 2);
    hub.close();
    await backend.execute(createContact('Cy'));
    await backend.store.awaitProjections();
    await new Promise((r) => setTimeout(r, 50));
    const position = (r: typeof ana): number => (r.ok ? (r.value as { position: number }).position : -1);
    expect(a.map((n) => n.position)).toEqual([position(ana), position(bo)]);
    expect(b.map((n) => n.position)).toEqual([position(ana)]);
    expect(hub.size).toBe(0);
  });
});

describe('graceful shutdown', () => {
  it('runs each step once, in order, even when triggered repeatedly or when a step fails', async () => {
    const order: string[] = [];
    const warnings: string[] = [];
    const shutdown = createShutdown(
      [
        { name: 'a', run: () => void order.push('a') },
        {
          name: 'b',
          run: () => {
            throw new Error('b failed');
          },
        },
        { name: 'c', run: async () => void order.push('c') },
      ],
      { warn: (m) => warnings.push(m) },
    );
    expect(shutdown.started).toBe(false);
    await Promise.all([shutdown.run(), shutdown.run(), shutdown.run()]);
    await shutdown.run();
    expect(order).toEqual(['a', 'c']);
    expect(warnings).toEqual(['shutdown step "b" failed']);
    expect(shutdown.started).toBe(true);
  });

  it('closes a real backend so its lock is released', async () => {
    const { backend, dataDir } = await openTestBackend();
    await createShutdown([{ name: 'close', run: () => backend.close() }]).run();
    const reopened = await createCrmBackend(dataDir, { version: '1' });
    await reopened.close();
  });
});
