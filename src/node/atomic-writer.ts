/**
 * The kubelet's atomic writer (pkg/volume/util/atomic_writer.go): projects a payload of files into
 * a volume directory so that a reader never sees a partial or mixed payload.
 *
 * Layout of `dir` after a write (paths starting with `..` are reserved):
 *   ..2026_01_02_15_04_05.<digits>/   the payload (Go's "..2006_01_02_15_04_05." + os.MkdirTemp digits)
 *   ..data -> ..2026_01_02_15_04_05.<digits>
 *   <name> -> ..data/<name>           one link per top-level entry (`a/b` shows as `a -> ..data/a`)
 * A write fills a fresh timestamped directory, points `..data_tmp` at it and renames that link over
 * `..data` (rename(2) is atomic), then prunes visible links that left the payload and removes the
 * timestamped directories older than the one it replaced (that one goes at the next write, so a
 * reader racing the swap never gets ENOENT). Writers must be serialized by the caller (as upstream).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomInt } from 'node:crypto';

export interface FileProjection {
  data: Buffer;
  /** Permission bits (e.g. 0o644 = 420), applied with chmod regardless of the umask. */
  mode: number;
  /** Owner to set when the agent runs as root (upstream FileProjection.FsUser); ignored otherwise. */
  fsUser?: number;
  /** Group to set when the agent runs as root (upstream SetVolumeOwnership's fsGroup); ignored otherwise. */
  fsGroup?: number;
}

export interface WriteAtomicOptions {
  /** Time used for the timestamped directory name (ms since epoch); default Date.now(). */
  now?: number;
}

const dataDirName = '..data';
const newDataDirName = '..data_tmp';
const tsDirPattern = /^\.\.\d{4}_\d\d_\d\d_\d\d_\d\d_\d\d\.\d+$/;
const maxFileNameLength = 255;
const maxPathLength = 4096;

const errCode = (err: unknown): string | undefined => (err as NodeJS.ErrnoException)?.code;

/** upstream validatePath: relative, no `..` element, no leading `..`, bounded lengths. */
export function validatePayloadPath(target: string): string | undefined {
  if (target === '') return `invalid path: must not be empty: ${JSON.stringify(target)}`;
  if (path.posix.isAbsolute(target)) return `invalid path: must be relative path: ${target}`;
  if (target.length > maxPathLength) return `invalid path: must be less than or equal to ${maxPathLength} characters`;
  const items = target.split('/');
  for (const item of items) {
    if (item === '..') return `invalid path: must not contain '..': ${target}`;
    if (item.length > maxFileNameLength) return `invalid path: filenames must be less than or equal to ${maxFileNameLength} characters`;
  }
  if (items[0].startsWith('..') && items[0].length > 2) return `invalid path: must not start with '..': ${target}`;
  return undefined;
}

/** filepath.Clean for the relative paths validatePayloadPath accepts. */
function cleanPath(p: string): string {
  const cleaned = path.posix.normalize(p).replace(/\/+$/, '');
  return cleaned === '' ? '.' : cleaned;
}

function validatePayload(payload: Map<string, FileProjection>): Map<string, FileProjection> {
  const clean = new Map<string, FileProjection>();
  for (const [p, content] of payload) {
    const err = validatePayloadPath(p);
    if (err) throw new Error(err);
    clean.set(cleanPath(p), content);
  }
  return clean;
}

/** Go's time.Format("2006_01_02_15_04_05") in UTC. */
function timestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}_${p(d.getUTCMonth() + 1)}_${p(d.getUTCDate())}_${p(d.getUTCHours())}_${p(d.getUTCMinutes())}_${p(d.getUTCSeconds())}`;
}

/** os.MkdirTemp(dir, "..<ts>.") : the prefix plus a random uint32 in decimal, mode 0755. */
async function newTimestampDir(dir: string, now: number): Promise<string> {
  const prefix = `..${timestamp(now)}.`;
  for (let attempt = 0; ; attempt++) {
    const name = prefix + String(randomInt(0, 2 ** 32 - 1));
    try {
      await fs.mkdir(path.join(dir, name), { mode: 0o700 });
    } catch (err) {
      if (errCode(err) === 'EEXIST' && attempt < 10000) continue;
      throw err;
    }
    await fs.chmod(path.join(dir, name), 0o755);
    return name;
  }
}

/** Relative paths (files and directories) under root, or [] when root does not exist. */
async function walk(root: string, rel = ''): Promise<string[]> {
  let entries: import('node:fs').Dirent[];
  try {
    entries = await fs.readdir(path.join(root, rel), { withFileTypes: true });
  } catch (err) {
    if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR') return [];
    throw err;
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    out.push(p);
    if (e.isDirectory()) out.push(...(await walk(root, p)));
  }
  return out;
}

/** upstream pathsToRemove: what the old payload had that the new one (with its parents) has not. */
async function pathsToRemove(payload: Map<string, FileProjection>, oldTsPath: string): Promise<Set<string>> {
  const keep = new Set<string>();
  for (const file of payload.keys()) {
    for (let sub = file; sub && sub !== '.'; sub = path.posix.dirname(sub)) keep.add(sub);
  }
  return new Set((await walk(oldTsPath)).filter((p) => !keep.has(p)));
}

async function shouldWritePayload(payload: Map<string, FileProjection>, oldTsPath: string): Promise<boolean> {
  for (const [p, fp] of payload) {
    try {
      const onDisk = await fs.readFile(path.join(oldTsPath, p));
      if (!onDisk.equals(fp.data)) return true;
    } catch (err) {
      if (errCode(err) === 'ENOENT' || errCode(err) === 'ENOTDIR' || errCode(err) === 'EISDIR') return true;
      throw err;
    }
  }
  return false;
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

async function writePayloadToDir(payload: Map<string, FileProjection>, dir: string): Promise<void> {
  const root = isRoot();
  for (const [p, fp] of payload) {
    const full = path.join(dir, p);
    await fs.mkdir(path.dirname(full), { recursive: true });
    await fs.writeFile(full, fp.data, { mode: fp.mode });
    await fs.chmod(full, fp.mode);
    if (root && (fp.fsUser !== undefined || fp.fsGroup !== undefined)) {
      await fs.chown(full, fp.fsUser ?? -1, fp.fsGroup ?? -1);
    }
  }
}

/** Creates `name -> ..data/name` for each top-level payload entry that has no link yet; returns how many. */
async function createUserVisibleFiles(payload: Map<string, FileProjection>, dir: string): Promise<number> {
  let created = 0;
  const names = new Set([...payload.keys()].map((p) => p.split('/')[0]));
  for (const name of names) {
    try {
      await fs.lstat(path.join(dir, name));
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
      await fs.symlink(`${dataDirName}/${name}`, path.join(dir, name));
      created++;
    }
  }
  return created;
}

async function readDataLink(dir: string): Promise<string | undefined> {
  try {
    return await fs.readlink(path.join(dir, dataDirName));
  } catch (err) {
    if (errCode(err) === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Writes payload (relative paths → content) into dir atomically; resolves true when anything
 * changed on disk. Creates dir if needed; removes files no longer in the payload and the
 * timestamped dirs before the previous one. A payload whose contents equal what `..data` holds is not rewritten (upstream
 * compares contents only, not modes). Rejects on an invalid path (upstream's messages).
 */
export async function writeAtomic(dir: string, payload: Map<string, FileProjection>, options: WriteAtomicOptions = {}): Promise<boolean> {
  const clean = validatePayload(payload);
  await fs.mkdir(dir, { recursive: true });
  const oldTsDir = await readDataLink(dir);
  const oldTsPath = oldTsDir ? path.join(dir, oldTsDir) : undefined;
  let remove = new Set<string>();
  if (oldTsPath) {
    remove = await pathsToRemove(clean, oldTsPath);
    if (remove.size === 0 && !(await shouldWritePayload(clean, oldTsPath))) {
      return (await createUserVisibleFiles(clean, dir)) > 0;
    }
  }
  const tsDir = await newTimestampDir(dir, options.now ?? Date.now());
  try {
    await writePayloadToDir(clean, path.join(dir, tsDir));
    const tmpLink = path.join(dir, newDataDirName);
    await fs.rm(tmpLink, { force: true });
    await fs.symlink(tsDir, tmpLink);
    await fs.rename(tmpLink, path.join(dir, dataDirName));
  } catch (err) {
    await fs.rm(path.join(dir, newDataDirName), { force: true });
    await fs.rm(path.join(dir, tsDir), { recursive: true, force: true });
    throw err;
  }
  await createUserVisibleFiles(clean, dir);
  for (const p of remove) {
    // only top-level links live in the visible part of the volume
    if (!p.includes('/')) await fs.rm(path.join(dir, p), { force: true });
  }
  // Older timestamped dirs (and any left by an interrupted write). The one just replaced is kept
  // until the next write: a reader that resolved `..data` just before the swap still finds its
  // files (upstream removes it at once, and such a reader can get ENOENT).
  for (const name of await fs.readdir(dir)) {
    if (name !== tsDir && name !== oldTsDir && tsDirPattern.test(name)) {
      await fs.rm(path.join(dir, name), { recursive: true, force: true });
    }
  }
  return true;
}

/**
 * The current payload's files (relative path → content) read back through `..data`, or undefined
 * when dir holds no payload. Consistent with one write even while another write swaps `..data`.
 */
export async function readCurrent(dir: string): Promise<Map<string, Buffer> | undefined> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const ts = await readDataLink(dir);
    if (!ts) return undefined;
    const root = path.join(dir, ts);
    try {
      await fs.access(root);
      const files = new Map<string, Buffer>();
      const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
      for (const e of entries) {
        if (!e.isFile()) continue;
        const full = path.join(e.parentPath ?? e.path, e.name);
        files.set(path.relative(root, full).split(path.sep).join('/'), await fs.readFile(full));
      }
      if ((await readDataLink(dir)) === ts) return files;
    } catch (err) {
      if (errCode(err) !== 'ENOENT') throw err;
    }
  }
  throw new Error(`${dir}: payload kept changing while being read`);
}
