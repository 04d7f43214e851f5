/** The node agent (the kubelet's pod identity half): the agent and its building blocks. */
export * from './agent.js';
export * from './agent-objects.js';
export * from './agent-pod-ips.js';
export * from './agent-tokens.js';
export * from './heartbeat.js';
export * from './pod-worker.js';
export * from './pod-worker-events.js';
export * from './pod-worker-status.js';
export * from './atomic-writer.js';
export * from './token-manager.js';
export * from './volumes.js';
export * from './pod-status.js';
export * from './node-status.js';
