/** Worker-thread entry of ensurePki: generates the missing PKI files, then exits. */
import { parentPort, workerData } from 'node:worker_threads';
import { generatePki } from './pki.js';

const data = workerData as { dir: string; bindAddress: string; extraSans: string[] };
generatePki(data.dir, data.bindAddress, data.extraSans).then(
  () => parentPort?.postMessage({ ok: true }),
  (e: unknown) => parentPort?.postMessage({ ok: false, error: e instanceof Error ? e.message : String(e) }),
);
