/** The workload library: a rotating projected token file as a bearer token source, and the in-cluster config built from the mounted folder. */
export * from './token-source.js';
export * from './in-cluster.js';
