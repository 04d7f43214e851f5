/** Small helpers shared by the end-to-end tests: polling for asynchronous controllers, JSON reads, server-log checks. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { serverEntry, type Kubectl, type ServerProcess } from './harness.js';

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

const controllerIdentity = String.raw`\?"(system:serviceaccount:kube-system:[\w-]+|system:kube-controller-manager|system:kube-scheduler|system:node:[\w.-]+)\?"`;
const refused = new RegExp(String.raw`User ${controllerIdentity} cannot |user ${controllerIdentity} .*attempting to grant RBAC permissions`);

/** Server log lines where RBAC refused a controller, scheduler or node identity, or refused it an escalation (its warnings quote the 403). */
export const controllerDenials = (log: string): string[] => log.split('\n').filter((l) => refused.test(l));

/** The claims of a compact JWS, decoded without verification (verifying is the server's and jose's job). */
export function payloadOf(token: string): any {
  return JSON.parse(Buffer.from(token.trim().split('.')[1] ?? '', 'base64url').toString('utf8'));
}

/** A kubeconfig (in the server's data directory) with the cluster's CA and no client certificate: the token comes with --token. */
export function tokenKubeconfig(server: ServerProcess): string {
  const path = join(server.dataDir, `token-${server.port}.kubeconfig`);
  const caPath = join(server.dataDir, 'pki', 'ca.crt');
  writeFileSync(
    path,
    `apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "${server.url}", certificate-authority: "${caPath}"}}]\nusers: [{name: u, user: {}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n`,
  );
  return path;
}

/** Runs an `insignia` command (built or from sources, like the server); resolves with its exit code and output. */
export function runInsignia(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...serverEntry(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}
