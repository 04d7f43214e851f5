/** Wiring of admission plugins beyond NamespaceLifecycle (the ServiceAccount plugin) (issue 4). */
import type { PartModule } from './part.js';

export const admissionPart: PartModule = {
  addFlags: (cmd) => cmd,
  build: () => ({}),
};
