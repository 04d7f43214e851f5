/**
 * The RBAC authorizer (upstream plugin/pkg/auth/authorizer/rbac): allows when a rule bound to the
 * user allows the request, with reason `RBAC: allowed by <binding>`; otherwise no opinion, with
 * reason `RBAC: <resolution errors>` when some binding could not be resolved (e.g. its role is
 * missing), else "". It never denies outright; a failure inside it is a denial (see union).
 */
import type { UserInfo } from '../../admission/types.js';
import type { Authorizer } from './types.js';
import { aggregateMessage, type RuleResolver } from './rule-resolver.js';
import type { PolicyRule } from './rbac-types.js';

export interface ResourceRuleInfo {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
}

export interface NonResourceRuleInfo {
  verbs: string[];
  nonResourceURLs: string[];
}

export interface RulesReview {
  resourceRules: ResourceRuleInfo[];
  nonResourceRules: NonResourceRuleInfo[];
  incomplete: boolean;
  /** Resolution errors, aggregated (the rules are still valid). */
  error?: string;
}

/** An authorizer that can also list the rules of a user (SelfSubjectRulesReview). */
export interface RuleResolvingAuthorizer extends Authorizer {
  rulesFor(user: UserInfo, namespace: string): RulesReview;
}

export function createRbacAuthorizer(resolver: RuleResolver): RuleResolvingAuthorizer {
  return {
    authorize(a) {
      const { source, errors } = resolver.firstAllowing(a);
      if (source) return { decision: 'allow', reason: `RBAC: allowed by ${String(source)}` };
      return { decision: 'no-opinion', reason: errors.length ? `RBAC: ${aggregateMessage(errors)}` : '' };
    },
    rulesFor(user, namespace) {
      const { rules, errors } = resolver.rulesFor(user, namespace);
      return { ...toRuleInfos(rules), incomplete: false, ...(errors.length ? { error: aggregateMessage(errors) } : {}) };
    },
  };
}

/** Upstream RBACAuthorizer.RulesFor: rules with resources, and rules with non-resource URLs. */
export function toRuleInfos(rules: PolicyRule[]): { resourceRules: ResourceRuleInfo[]; nonResourceRules: NonResourceRuleInfo[] } {
  const resourceRules: ResourceRuleInfo[] = [];
  const nonResourceRules: NonResourceRuleInfo[] = [];
  for (const r of rules) {
    if (r.resources?.length) {
      resourceRules.push({ verbs: r.verbs, apiGroups: r.apiGroups ?? [], resources: r.resources, resourceNames: r.resourceNames ?? [] });
    }
    if (r.nonResourceURLs?.length) nonResourceRules.push({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs });
  }
  return { resourceRules, nonResourceRules };
}
