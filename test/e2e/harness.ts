/**
 * End-to-end harness: starts the real server process (the built `dist/cli/main.js serve`) on a
 * free port with a temporary data directory, and runs the real kubectl binaries against it with a
 * private cache directory, as a user would.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';

export const projectRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface ServerProcess {
  url: string;
  port: number;
  dataDir: string;
  kubeconfig: string;
  child: ChildProcess;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait. */
  kill(): Promise<void>;
}

/**
 * The command that runs `insignia`: the built dist/cli/main.js, or with INSIGNIA_E2E_SOURCE=1 the
 * TypeScript sources through tsx (no build needed while developing; `npm test` uses dist).
 */
export function serverEntry(): string[] {
  if (process.env.INSIGNIA_E2E_SOURCE === '1') return ['--import', 'tsx', join(projectRoot, 'src/cli/main.ts')];
  return [join(projectRoot, 'dist/cli/main.js')];
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  keepDataDir?: boolean;
}

export async function startServer(opts: StartOptions = {}): Promise<ServerProcess> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'insignia-e2e-'));
  const child = spawn(process.execPath, [...serverEntry(), 'serve', '--data-dir', dataDir, '--secure-port', '0', ...(opts.args ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`server did not start in 60s:\n${out}`)), 60_000);
    const check = () => {
      const m = /Serving on (https:\/\/\S+)/.exec(out);
      if (m && out.includes('Admin kubeconfig:')) {
        clearTimeout(t);
        resolve(m[1]!);
      }
    };
    child.stdout!.on('data', check);
    void exited.then((code) => {
      clearTimeout(t);
      reject(new Error(`server exited with ${code} before it was ready:\n${out}`));
    });
  });
  const port = Number(new URL(url).port);
  const proc: ServerProcess = {
    url,
    port,
    dataDir,
    kubeconfig: join(dataDir, 'admin.kubeconfig'),
    child,
    output: () => out,
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const code = await exited;
      if (!opts.keepDataDir && !opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
    async kill() {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await exited;
      }
    },
  };
  return proc;
}

let kubectlDir: string | undefined;
/** Directory holding kubectl.1.27 ... kubectl.1.33 beside the dispatcher. */
export function kubectlDirectory(): string {
  if (!kubectlDir) {
    const which = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();
    kubectlDir = dirname(realpathSync(which));
  }
  return kubectlDir;
}

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface Kubectl {
  (args: string[], opts?: { input?: string; env?: Record<string, string> }): Promise<KubectlResult>;
  version: string;
  cacheDir: string;
}

/** A kubectl of the given minor version ('1.27', '1.32', 'dispatcher') bound to a kubeconfig, with a private cache. */
export function kubectl(kubeconfig: string, version: string): Kubectl {
  const bin = version === 'dispatcher' ? 'kubectl' : join(kubectlDirectory(), `kubectl.${version}`);
  const cacheDir = mkdtempSync(join(tmpdir(), 'kubectl-cache-'));
  const run = (args: string[], opts: { input?: string; env?: Record<string, string> } = {}) =>
    new Promise<KubectlResult>((resolve) => {
      const child = execFile(
        bin,
        ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args],
        { env: { ...process.env, KUBECACHEDIR: cacheDir, ...opts.env }, maxBuffer: 64 * 1024 * 1024, timeout: 120_000 },
        (err, stdout, stderr) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? ((err as { code: number }).code) : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
      if (opts.input !== undefined) child.stdin!.end(opts.input);
      else child.stdin!.end();
    });
  return Object.assign(run, { version, cacheDir });
}

/** The stdout of a kubectl run that must succeed; fails the test with both streams otherwise. */
export function expectOk(r: KubectlResult, what: string): string {
  if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  return r.stdout;
}

/** Starts a server and a kubectl of `version` for a describe() block; stops the server after it (expecting exit 0). */
export function useServerAndKubectl(version: string, hooks: { before: (fn: () => Promise<void>) => void; after: (fn: () => Promise<void>) => void }, args: string[] = []) {
  const ctx = {} as { server: ServerProcess; k: Kubectl; dir: string };
  hooks.before(async () => {
    ctx.server = await startServer({ args });
    ctx.k = kubectl(ctx.server.kubeconfig, version);
    ctx.dir = mkdtempSync(join(tmpdir(), 'insignia-kubectl-'));
  });
  hooks.after(async () => {
    const code = await ctx.server.stop();
    if (code !== 0) throw new Error(`server exited with ${code} on SIGTERM`);
  });
  return ctx;
}

export function readKubeconfigCa(kubeconfig: string): string {
  const text = readFileSync(kubeconfig, 'utf8');
  const m = /certificate-authority-data: (\S+)/.exec(text);
  return Buffer.from(m![1]!, 'base64').toString('utf8');
}
