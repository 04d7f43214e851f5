/**
 * Test helpers for the workload library: a hand-made kubelet atomic-writer layout (a timestamped
 * `..<stamp>` directory, a `..data` symlink swapped by rename, visible entries `name -> ..data/name`)
 * and unsigned JWT-shaped tokens carrying iat/exp. Not used outside tests and benchmarks.
 */
import { mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync, existsSync, lstatSync } from 'node:fs';
import { join } from 'node:path';

let seq = 0;

/**
 * Writes `files` (name → content) into `dir` the way the atomic writer does: a new `..<stamp>`
 * directory, `..data_tmp` renamed over `..data`, missing `name -> ..data/name` links created,
 * and the previous timestamped directory removed. Resolves the new directory's name.
 */
export function writeAtomicLayout(dir: string, files: Record<string, string>, mode = 0o644): string {
  mkdirSync(dir, { recursive: true });
  const stamp = `..2026_01_01_00_00_00.${String(++seq).padStart(9, '0')}${Math.random().toString(36).slice(2, 8)}`;
  const tsDir = join(dir, stamp);
  mkdirSync(tsDir);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(tsDir, name), content, { mode });
  const dataLink = join(dir, '..data');
  const previous = existsSync(dataLink) ? readlinkSync(dataLink) : undefined;
  const tmp = join(dir, '..data_tmp');
  rmSync(tmp, { force: true });
  symlinkSync(stamp, tmp);
  renameSync(tmp, dataLink);
  for (const name of Object.keys(files)) {
    const visible = join(dir, name);
    let present = false;
    try {
      present = lstatSync(visible).isSymbolicLink();
    } catch {
      present = false;
    }
    if (!present) symlinkSync(join('..data', name), visible);
  }
  if (previous && previous !== stamp) rmSync(join(dir, previous), { recursive: true, force: true });
  return stamp;
}

/** An unsigned compact JWS with the given claims (enough for code that only decodes the payload). */
export function unsignedJwt(claims: Record<string, unknown>): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({ alg: 'RS256', kid: 'test' })}.${b64(claims)}.c2lnbmF0dXJl`;
}
