/**
 * Child process for the SQLite crash test (not a test itself). Usage:
 *   node --import tsx sqlite-crash-writer.ts <db-path> <writers>
 * Runs <writers> concurrent loops; each creates `/crash/<w>/<i>` with value "v1", prints
 * `C <key>` once the create is acknowledged, updates it to "v2" and prints `U <key>` once that
 * is acknowledged. Meanwhile it compacts now and then. Lines are written with a synchronous
 * write(2), so a printed line means the backend had acknowledged the write. Runs until killed.
 */
import { writeSync } from 'node:fs';
import { createSqliteBackend } from '../sqlite/sqlite-backend.js';

const [path, writersArg] = process.argv.slice(2);
if (!path) throw new Error('usage: sqlite-crash-writer.ts <db-path> <writers>');
const backend = createSqliteBackend({ path });
const encoder = new TextEncoder();

async function writer(w: number): Promise<void> {
  for (let i = 0; ; i++) {
    const key = `/crash/${w}/${i}`;
    const created = await backend.create(key, encoder.encode('v1'));
    if (!created.ok) throw new Error(`create ${key} failed`);
    writeSync(1, `C ${key}\n`);
    const updated = await backend.update(key, encoder.encode('v2'), created.kv.modRevision);
    if (!updated.ok) throw new Error(`update ${key} failed`);
    writeSync(1, `U ${key}\n`);
  }
}

async function compactor(): Promise<void> {
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    await backend.compact(await backend.currentRevision());
  }
}

const writers = Number(writersArg ?? '32');
writeSync(1, 'READY\n');
await Promise.all([...Array.from({ length: writers }, (_, w) => writer(w)), compactor()]);
