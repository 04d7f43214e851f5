/** Wiring of RBAC: the RBAC Stores, the RBAC authorizer and bootstrap policy, access reviews, impersonation (issue 5). */
import type { PartModule } from './part.js';

export const rbacPart: PartModule = {
  addFlags: (cmd) => cmd,
  build: () => ({}),
};
