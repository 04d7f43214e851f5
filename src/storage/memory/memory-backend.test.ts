import { runBackendConformance } from '../testing/conformance.js';
import { createMemoryBackend } from './memory-backend.js';

runBackendConformance('memory', async () => ({ backend: createMemoryBackend(), cleanup: async () => {} }));
