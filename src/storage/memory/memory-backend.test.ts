import { it } from 'node:test';
import assert from 'node:assert/strict';
import { runBackendConformance } from '../testing/conformance.js';
import { createMemoryBackend } from './memory-backend.js';

runBackendConformance('memory', async () => ({ backend: createMemoryBackend(), cleanup: async () => {} }));

it('memory backend starts empty at revision 0 and keeps no history across instances', async () => {
  const a = createMemoryBackend();
  assert.equal(await a.currentRevision(), 0);
  await a.create('/k', Buffer.from('v'));
  assert.equal(await createMemoryBackend().currentRevision(), 0);
  assert.equal((await a.get('/k'))?.modRevision, 1);
});
