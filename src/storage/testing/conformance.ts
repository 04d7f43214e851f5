/**
 * The ONE conformance suite every storage Backend must pass (like Kubernetes' storage tests).
 * A backend's test file calls `runBackendConformance` once; each `it` gets a fresh backend from
 * the factory (see BackendFactory for what the factory must guarantee).
 *
 * The suite never asserts on elapsed time: it waits for outcomes (promises, events), with
 * generous timeouts only to turn a hang into a failure.
 */
import { describe } from 'node:test';
import { concurrencyConformance } from './conformance-concurrency.js';
import { crudConformance } from './conformance-crud.js';
import type { BackendFactory } from './conformance-helpers.js';
import { lifecycleConformance } from './conformance-lifecycle.js';
import { watchConformance } from './conformance-watch.js';

export type { BackendFactory } from './conformance-helpers.js';

/** Registers the conformance suite for one backend under `describe(name)`. */
export function runBackendConformance(name: string, factory: BackendFactory): void {
  describe(`${name} backend conformance`, () => {
    describe('reads and writes', () => crudConformance(factory));
    describe('concurrent writers', () => concurrencyConformance(factory));
    describe('watch', () => watchConformance(factory));
    describe('compaction and close', () => lifecycleConformance(factory));
  });
}
