/**
 * Pieces of the node benchmark (bench/node.ts): a Clock whose speed can change while timers are
 * pending, a Transport wrapper that counts the agent's requests and moves TokenRequest expiry
 * times into the agent's (simulated) time frame, and the CPU time of a process.
 */
import { readFileSync } from 'node:fs';
import type { Clock, TimerHandle } from '../src/client/clock.js';
import type { Transport, TransportRequest } from '../src/client/transport.js';

/** A Clock that runs `speed` times faster than real time from the moment the speed is set. */
export interface WarpClock extends Clock {
  /** Changes the speed; pending timers are re-armed so they fire at their simulated due time. */
  setSpeed(speed: number): void;
  readonly speed: number;
  /** Number of timers waiting. */
  readonly pending: number;
}

export function createWarpClock(speed = 1): WarpClock {
  let baseReal = Date.now();
  let baseSim = baseReal;
  let k = speed;
  let seq = 0;
  const now = () => baseSim + (Date.now() - baseReal) * k;
  const timers = new Map<number, { due: number; fn: () => void; handle?: NodeJS.Timeout }>();
  const arm = (id: number) => {
    const t = timers.get(id);
    if (!t) return;
    t.handle = setTimeout(() => {
      if (now() + 1 < t.due) return arm(id); // rounding of the real delay: not due yet
      timers.delete(id);
      t.fn();
    }, Math.max(0, Math.ceil((t.due - now()) / k)));
    t.handle.unref();
  };
  return {
    now,
    get speed() {
      return k;
    },
    get pending() {
      return timers.size;
    },
    setTimer(ms, fn): TimerHandle {
      const id = ++seq;
      timers.set(id, { due: now() + Math.max(0, ms), fn });
      arm(id);
      return {
        cancel: () => {
          clearTimeout(timers.get(id)?.handle);
          timers.delete(id);
        },
      };
    },
    setSpeed(next) {
      baseSim = now();
      baseReal = Date.now();
      k = next;
      for (const [id, t] of timers) {
        clearTimeout(t.handle);
        arm(id);
      }
    },
  };
}

/** What one TokenRequest asked for, as seen on the wire. */
export interface TokenRequestRecord {
  /** Simulated time (the agent's clock) when the answer arrived. */
  at: number;
  /** namespace/serviceaccount/boundPodUid/audiences: one token of one pod. */
  key: string;
  status: number;
}

export interface CountingTransport extends Transport {
  /** Requests by `METHOD kind` (kind: token, leases, nodes, pods/status, events, ... or WATCH kind). */
  readonly counts: Map<string, number>;
  readonly tokenRequests: TokenRequestRecord[];
  reset(): void;
}

const tokenPath = /^\/api\/v1\/namespaces\/([^/]+)\/serviceaccounts\/([^/]+)\/token$/;

/** The resource (and subresource) a request path names, e.g. pods/status, leases, token. */
export function kindOf(path: string): string {
  if (tokenPath.test(path)) return 'token';
  const parts = path.split('/').filter(Boolean);
  const i = parts.indexOf('namespaces');
  const rest = i >= 0 ? parts.slice(i + 2) : parts.slice(parts[0] === 'api' ? 2 : 3);
  if (i >= 0 && rest.length === 0) return 'namespaces';
  return rest.length >= 3 ? `${rest[0]}/${rest[2]}` : (rest[0] ?? path);
}

/** RFC 3339 at second precision, as the API writes times. */
const rfc3339 = (ms: number) => new Date(Math.round(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * Wraps `inner`: counts requests, records every TokenRequest, and rewrites a TokenRequest
 * answer's status.expirationTimestamp from the server's (real) time into `clock`'s time, keeping
 * the remaining lifetime, so an agent on an accelerated clock sees a token that lives its
 * lifetime in simulated time (the token string itself is untouched and stays valid in real time).
 */
export function countingTransport(inner: Transport, clock: Clock): CountingTransport {
  const counts = new Map<string, number>();
  const tokenRequests: TokenRequestRecord[] = [];
  const bump = (k: string) => counts.set(k, (counts.get(k) ?? 0) + 1);
  return {
    counts,
    tokenRequests,
    reset() {
      counts.clear();
      tokenRequests.length = 0;
    },
    async request(req: TransportRequest) {
      bump(`${req.method} ${kindOf(req.path)}`);
      const res = await inner.request(req);
      const m = req.method === 'POST' ? tokenPath.exec(req.path) : null;
      if (!m) return res;
      let key = `${m[1]}/${m[2]}`;
      try {
        const sent = JSON.parse(req.body ?? '{}') as { spec?: { audiences?: string[]; boundObjectRef?: { uid?: string } } };
        key += `/${sent.spec?.boundObjectRef?.uid ?? ''}/${(sent.spec?.audiences ?? []).join(',')}`;
      } catch {
        // keep the short key
      }
      tokenRequests.push({ at: clock.now(), key, status: res.status });
      if (res.status !== 201 && res.status !== 200) return res;
      const body = JSON.parse(res.body) as { status?: { expirationTimestamp?: string } };
      const exp = body.status?.expirationTimestamp;
      if (!exp) return res;
      body.status!.expirationTimestamp = rfc3339(clock.now() + (Date.parse(exp) - Date.now()));
      return { status: res.status, body: JSON.stringify(body) };
    },
    async stream(req: TransportRequest) {
      bump(`WATCH ${kindOf(req.path)}`);
      return inner.stream(req);
    },
    close() {
      inner.close?.();
    },
  };
}

/** User + system CPU time of process `pid` in milliseconds (Linux /proc; NaN elsewhere). */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[11], fields[12]: utime, stime in clock ticks (fields 14 and 15 of proc(5)); USER_HZ is 100 on Linux.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

export function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? 0;
}
