/** Public surface of the storage layer: the Backend contract and its implementations. */
export * from './backend.js';
export { createSqliteBackend } from './sqlite/sqlite-backend.js';
export type { SqliteBackend, SqliteBackendOptions, SqliteBackendStats } from './sqlite/sqlite-backend.js';
