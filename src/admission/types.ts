/**
 * Admission: plugins that see every create, update and delete after decoding and before storage
 * (mutating), and again after validation (validating), like kube-apiserver's admission chain.
 */
import type { KubeObject } from '../api/meta.js';
import type { ResourceInfo } from '../api/resources.js';

export interface UserInfo {
  username: string;
  uid?: string;
  groups: string[];
  extra?: Record<string, string[]>;
}

export type Operation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface AdmissionAttributes {
  operation: Operation;
  resource: ResourceInfo;
  subresource: string;
  namespace: string;
  name: string;
  /** The incoming object (mutable for mutating plugins); for DELETE the object being deleted. */
  object: KubeObject | null;
  oldObject: KubeObject | null;
  user: UserInfo;
  dryRun: boolean;
}

export interface AdmissionPlugin {
  name: string;
  /** Whether this plugin wants to see requests for this resource/operation. */
  handles(attrs: AdmissionAttributes): boolean;
  /** May change attrs.object. Throws a StatusError to reject. */
  admit?(attrs: AdmissionAttributes): Promise<void> | void;
  /** Must not change anything. Throws a StatusError to reject. */
  validate?(attrs: AdmissionAttributes): Promise<void> | void;
}

/** Runs plugins in order: every admit first (mutating phase) or every validate (validating phase). */
export interface AdmissionChain {
  admit(attrs: AdmissionAttributes): Promise<void>;
  validate(attrs: AdmissionAttributes): Promise<void>;
}

export function createAdmissionChain(plugins: AdmissionPlugin[]): AdmissionChain {
  return {
    async admit(attrs) {
      for (const p of plugins) if (p.admit && p.handles(attrs)) await p.admit(attrs);
    },
    async validate(attrs) {
      for (const p of plugins) if (p.validate && p.handles(attrs)) await p.validate(attrs);
    },
  };
}
