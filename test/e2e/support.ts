/** Small helpers shared by the end-to-end tests: polling for asynchronous controllers, JSON reads, server-log checks. */
import type { Kubectl } from './harness.js';

/** Polls `check` every 200 ms until it returns a value other than undefined (fails after `ms`, quoting the last error). */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** `kubectl get ARGS -o json`, parsed; undefined when kubectl fails (e.g. NotFound). */
export async function getJson(k: Kubectl, args: string[]): Promise<any | undefined> {
  const r = await k(['get', ...args, '-o', 'json']);
  return r.code === 0 ? JSON.parse(r.stdout) : undefined;
}

const controllerIdentity = String.raw`\?"(system:serviceaccount:kube-system:[\w-]+|system:kube-controller-manager)\?"`;
const refused = new RegExp(String.raw`User ${controllerIdentity} cannot |user ${controllerIdentity} .*attempting to grant RBAC permissions`);

/** Server log lines where RBAC refused a controller identity, or refused it an escalation (its warnings quote the 403). */
export const controllerDenials = (log: string): string[] => log.split('\n').filter((l) => refused.test(l));
