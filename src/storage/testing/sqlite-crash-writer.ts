/**
 * Child process for the SQLite crash test (not a test itself). Usage:
 *   node --import tsx sqlite-crash-writer.ts <db-path> <writers>
 * Runs <writers> concurrent loops; each creates `/crash/<w>/<i>` with value "v1", prints
 * `C <key>` once the create is acknowledged, updates it to "v2" and prints `U <key>` once that
 * is acknowledged. Meanwhile it compacts now and then. A line is only printed after the backend
 * acknowledged the write, so every printed key must survive a SIGKILL. Runs until killed.
 */
import { createSqliteBackend } from '../sqlite/sqlite-backend.js';

const [path, writersArg] = process.argv.slice(2);
if (!path) throw new Error('usage: sqlite-crash-writer.ts <db-path> <writers>');
const backend = createSqliteBackend({ path });
const encoder = new TextEncoder();

/** Writes one line. stdout writes to a pipe are synchronous on Linux (see Node's process I/O notes). */
function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function writer(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    const key = `/crash/${w}/${i}`;
    const created = await backend.create(key, encoder.encode('v1'));
    if (!created.ok) throw new Error(`create ${key} failed`);
    print(`C ${key}`);
    const updated = await backend.update(key, encoder.encode('v2'), created.kv.modRevision);
    if (!updated.ok) throw new Error(`update ${key} failed`);
    print(`U ${key}`);
  }
}

async function compactor(): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await backend.compact(await backend.currentRevision());
  }
}

const writers = Number(writersArg ?? '32');
print('READY');
await Promise.all([...Array.from({ length: writers }, (_, w) => writer(w)), compactor()]);
