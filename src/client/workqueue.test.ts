import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeClock } from './testing/fake-clock.js';
import { bucketRateLimiter, defaultControllerRateLimiter, itemExponentialFailureRateLimiter } from './rate-limiter.js';
import { createWorkQueue } from './workqueue.js';

describe('workqueue', () => {
  it('dedups keys that are queued', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    q.add('a');
    q.add('a');
    q.add('b');
    assert.equal(q.length, 2);
    assert.equal(await q.get(), 'a');
    assert.equal(await q.get(), 'b');
  });

  it('never hands a key being processed to a second worker; re-adds it on done', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    q.add('a');
    const key = await q.get();
    q.add('a');
    assert.equal(q.length, 0, 'not queued while processing');
    q.done(key!);
    assert.equal(q.length, 1);
    assert.equal(await q.get(), 'a');
  });

  it('wakes a waiting getter and returns undefined after shutDown', async () => {
    const q = createWorkQueue({ clock: createFakeClock() });
    const waiting = q.get();
    q.add('x');
    assert.equal(await waiting, 'x');
    const after = q.get();
    q.shutDown();
    assert.equal(await after, undefined);
    q.add('y');
    assert.equal(await q.get(), undefined);
  });

  it('addAfter waits on the clock and keeps the earliest delay', async () => {
    const clock = createFakeClock();
    const q = createWorkQueue({ clock });
    q.addAfter('a', 1000);
    q.addAfter('a', 500);
    q.addAfter('a', 2000);
    await clock.advance(499);
    assert.equal(q.length, 0);
    await clock.advance(1);
    assert.equal(q.length, 1);
    await clock.advance(5000);
    assert.equal(q.length, 1, 'later delays were dropped');
  });

  it('addRateLimited backs off exponentially until forget', async () => {
    const clock = createFakeClock();
    const q = createWorkQueue({ clock, rateLimiter: itemExponentialFailureRateLimiter(10, 1000) });
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      const start = clock.now();
      q.addRateLimited('k');
      while (q.length === 0) await clock.advance(1);
      delays.push(clock.now() - start);
      q.done((await q.get())!);
    }
    assert.deepEqual(delays, [10, 20, 40, 80]);
    assert.equal(q.numRequeues('k'), 4);
    q.forget('k');
    assert.equal(q.numRequeues('k'), 0);
  });
});

describe('rate limiters', () => {
  const cases: { name: string; run: () => number[]; want: number[] }[] = [
    {
      name: 'exponential caps at max',
      run: () => {
        const l = itemExponentialFailureRateLimiter(5, 30);
        return [l.when('a'), l.when('a'), l.when('a'), l.when('a'), l.when('b')];
      },
      want: [5, 10, 20, 30, 5],
    },
    {
      name: 'bucket allows a burst then spaces by 1/qps',
      run: () => {
        const l = bucketRateLimiter(10, 2, createFakeClock());
        return [l.when('a'), l.when('b'), l.when('c'), l.when('d')];
      },
      want: [0, 0, 100, 200],
    },
    {
      name: 'default controller limiter starts at 5 ms',
      run: () => {
        const l = defaultControllerRateLimiter(createFakeClock());
        return [l.when('a'), l.when('a'), l.when('a')];
      },
      want: [5, 10, 20],
    },
  ];
  for (const c of cases) it(c.name, () => assert.deepEqual(c.run(), c.want));
});
