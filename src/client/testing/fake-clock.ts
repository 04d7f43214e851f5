/**
 * A Clock for unit tests: time moves only when the test calls `advance`, which runs due timers in
 * order (and lets promise continuations run between them).
 */
import type { Clock, TimerHandle } from '../clock.js';

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing every timer that falls due, in due order. */
  advance(ms: number): Promise<void>;
  /** Number of timers waiting. */
  pending(): number;
}

export function createFakeClock(start = Date.UTC(2026, 0, 1)): FakeClock {
  let now = start;
  let seq = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  const flush = async () => {
    for (let i = 0; i < 20; i++) await new Promise<void>((r) => setImmediate(r));
  };
  return {
    now: () => now,
    setTimer(ms, fn): TimerHandle {
      const id = ++seq;
      timers.set(id, { due: now + Math.max(0, ms), fn });
      return { cancel: () => timers.delete(id) };
    },
    pending: () => timers.size,
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (;;) {
        let next: [number, { due: number; fn: () => void }] | undefined;
        for (const e of timers) if (e[1].due <= target && (!next || e[1].due < next[1].due)) next = e;
        if (!next) break;
        timers.delete(next[0]);
        now = Math.max(now, next[1].due);
        next[1].fn();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}
