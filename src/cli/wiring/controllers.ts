/** Wiring of controllers (default ServiceAccounts, root CA publisher, tokens controller, namespace lifecycle, garbage collector, legacy token tracking and cleaning), run through the client (issue 4). */
import type { PartModule } from './part.js';

export const controllersPart: PartModule = {
  addFlags: (cmd) => cmd,
  build: () => ({}),
};
