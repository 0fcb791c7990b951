import { describe, expect, it, vi } from 'vitest';
import { chat } from '../../src/core/sync/test-records';
import { backoffDelay, BACKOFF_MAX_MS } from './backoff';
import { createCouch } from './couch';
import { createSyncLoop, type SyncLoopStatus } from './sync-loop';
import { outboxSubscription } from './sync-test-devices';
import { useSyncServer } from './sync-test-server';

const env = useSyncServer();
const device = env.device.bind(env);

/** Waits for a condition (not for a time): vi.waitFor polls it. */
const until = (fn: () => Promise<unknown>) => vi.waitFor(async () => expect(await fn()).toBeTruthy(), { timeout: 15_000, interval: 50 });

describe('backoff', () => {
  it('doubles from 1 s to 5 min, with up to 25 % jitter on top, never above 5 min', () => {
    expect(backoffDelay(1, () => 0)).toBe(1_000);
    expect(backoffDelay(1, () => 0.999)).toBe(1_250);
    expect([2, 3, 4, 5].map((n) => backoffDelay(n, () => 0))).toEqual([2_000, 4_000, 8_000, 16_000]);
    expect(backoffDelay(9, () => 0)).toBe(256_000);
    expect(backoffDelay(10, () => 0)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(500, () => 0.999)).toBe(BACKOFF_MAX_MS);
    expect(backoffDelay(9, () => 0.5)).toBe(288_000);
    expect(backoffDelay(9, () => 0.999)).toBe(BACKOFF_MAX_MS);
  });
});

describe('live sync', () => {
  it('keeps two devices in step both ways: longpoll brings remote changes, outbox changes are pushed', async () => {
    const a = await device('a', { live: true });
    const b = await device('b', { live: true });
    await a.loop.syncOnce();
    a.loop.startLive();
    b.loop.startLive();

    await a.db.chats.put(chat('c1', { title: 'Made on A' }));
    await until(async () => (await b.db.chats.get('c1'))?.title === 'Made on A');
    await b.db.chats.update('c1', { title: 'Renamed on B' });
    await until(async () => (await a.db.chats.get('c1'))?.title === 'Renamed on B');
    await a.db.chats.delete('c1');
    await until(async () => (await b.db.chats.get('c1')) === undefined);
    await until(async () => (await a.db.syncOutbox.count()) === 0 && (await b.db.syncOutbox.count()) === 0 && a.loop.status().state === 'ok');
    expect(a.loop.status()).toMatchObject({ error: null, pending: 0 });

    // stop() ends an open longpoll rather than waiting for it.
    await Promise.all([a.loop.stop(), b.loop.stop()]);
    await b.db.chats.put(chat('c2'));
    expect(await b.db.syncOutbox.count()).toBe(1);
  });

  it('after failures waits with growing backoff, then recovers; stop() ends a wait', async () => {
    const statuses: SyncLoopStatus[] = [];
    const waits: number[] = [];
    let release: (() => void) | undefined;
    const a = await device('a', {
      live: true,
      random: () => 0,
      onStatus: (s) => statuses.push(s),
      // Sleeps end when the test says (or on stop), so no test waits for real seconds.
      sleep: (ms, signal) => {
        waits.push(ms);
        return new Promise<void>((resolve) => {
          release = resolve;
          signal.addEventListener('abort', () => resolve());
        });
      },
    });
    await a.loop.syncOnce();
    env.server.failNext(3, 503, (r) => r.method === 'POST');
    await a.db.chats.put(chat('c1'));
    a.loop.startLive();
    await until(async () => waits.length === 1);
    expect(a.loop.status()).toMatchObject({ state: 'error', errorKind: 'server', pending: 1 });
    expect(a.loop.status().error).toMatch(/HTTP 503/);
    release?.();
    await until(async () => waits.length === 2);
    release?.();
    await until(async () => waits.length === 3);
    expect(waits).toEqual([1_000, 2_000, 4_000]);
    release?.();
    await until(async () => a.loop.status().state === 'ok' && a.loop.status().pending === 0);
    expect(statuses.some((s) => s.state === 'syncing')).toBe(true);

    // A failure again, then stop() while it waits.
    env.server.failNext(1, 503, (r) => r.method === 'POST');
    await a.db.chats.put(chat('c2'));
    await until(async () => waits.length === 4);
    expect(waits[3]).toBe(1_000);
    await a.loop.stop();
  });

  it('a server stopped mid-sync: the live loop resumes when it is back, with nothing lost or doubled', async () => {
    const a = await device('a');
    // Backoff waits shortened to 20 ms: the test waits for the outcome, not for a time.
    const b = await device('b', { live: true, pullBatch: 3, sleep: () => new Promise((r) => setTimeout(r, 20)) });
    await a.db.chats.bulkPut(Array.from({ length: 10 }, (_, i) => chat(`c${i}`)));
    await a.loop.syncOnce();
    let cut = false;
    env.server.failNext(1, 0, (r) => {
      if (cut || !r.path.includes('_changes') || r.path.includes('since=0')) return false;
      cut = true;
      // The server goes away right after this request.
      void env.server.stop();
      return true;
    });
    b.loop.startLive();
    await until(async () => cut);
    await until(async () => b.loop.status().state === 'error');
    expect(await b.db.chats.count()).toBeLessThan(10);
    await env.server.restart();
    await until(async () => (await b.db.chats.count()) === 10 && b.loop.status().state === 'ok');
    expect((await b.db.chats.toArray()).map((c) => c.id).sort()).toEqual((await a.db.chats.toArray()).map((c) => c.id).sort());
    await b.loop.stop();
  });

  it('two tabs of one browser: one live loop at a time (lock parley-sync-live); the other takes over when it stops', async () => {
    const held = new Map<string, Promise<unknown>>();
    // In-process stand-in for Web Locks: one holder per name, the others queue.
    const locks = {
      hold<T>(name: string, fn: () => Promise<T>): Promise<T> {
        const run = (held.get(name) ?? Promise.resolve()).then(fn);
        held.set(name, run.catch(() => undefined));
        return run;
      },
    };
    const calls = { first: 0, second: 0 };
    const counted = (tab: keyof typeof calls) => (url: string, init: RequestInit) => {
      calls[tab]++;
      return fetch(url, init);
    };
    const first = await device('tab1', { live: true, locks, fetch: counted('first') });
    const second = createSyncLoop({
      db: first.db,
      couch: createCouch({ url: env.server.url, db: 'parley', fetch: counted('second') }),
      passphrase: 'correct horse battery',
      deviceId: first.deviceId,
      includeKeys: false,
      locks,
      subscribeOutbox: outboxSubscription(first.db),
    });
    first.loop.startLive();
    second.startLive();
    await first.db.chats.put(chat('c1'));
    await until(async () => (await first.db.syncOutbox.count()) === 0 && first.loop.status().state === 'ok');
    expect(calls.second).toBe(0);

    await first.loop.stop();
    await first.db.chats.put(chat('c2'));
    await until(async () => (await first.db.syncOutbox.count()) === 0 && calls.second > 0 && second.status().state === 'ok');
    expect(second.status()).toMatchObject({ pending: 0, error: null });
    await second.stop();
  });
  it('a tab waiting for the live lock stops at once (the lock request is abandoned), the holder keeps syncing', async () => {
    // Web Locks' shape: a request with a signal rejects when the signal aborts while it waits.
    let holderRelease: () => void = () => undefined;
    const holding = new Promise<void>((r) => (holderRelease = r));
    const aborted: string[] = [];
    const locks = {
      hold<T>(name: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
        if (name !== 'parley-sync-live') return fn();
        return new Promise<T>((resolve, reject) => {
          signal?.addEventListener('abort', () => {
            aborted.push(name);
            reject(signal.reason);
          });
          void holding.then(() => fn().then(resolve, reject));
        });
      },
    };
    const waiting = await device('waiting', { live: true, locks });
    waiting.loop.startLive();
    await waiting.loop.stop();
    expect(aborted).toEqual(['parley-sync-live']);
    expect(waiting.loop.status().state).not.toBe('error');
    holderRelease();
  });
});
