/**
 * Which rules apply to a user in a namespace (upstream DefaultRuleResolver), over bindings indexed
 * by subject: a decision looks up the user's name, groups and (for a ServiceAccount) its username
 * instead of scanning every binding. The index is fed by upsert/remove (see watch-feed.ts).
 *
 * Contracts: visiting order is ClusterRoleBindings then RoleBindings of the namespace (within
 * each, those naming the user, then those of each of its groups); a binding whose role is missing reports an error and grants nothing; rules of
 * every other binding are still visited (rules are additive).
 */
import type { KubeObject } from '../../api/meta.js';
import type { UserInfo } from '../../admission/types.js';
import { roleRefOf, rulesOf, subjectsOf, type PolicyRule, type RoleRef, type Subject } from './rbac-types.js';
import { ruleAllows } from './rule-match.js';
import type { Attributes } from './types.js';

const saPrefix = 'system:serviceaccount:';

/** Where role objects come from (the Stores' caches in the server, maps in tests). */
export interface RoleSource {
  role(namespace: string, name: string): KubeObject | undefined;
  clusterRole(name: string): KubeObject | undefined;
  /**
   * A number that changes whenever any Role or ClusterRole changes; lets a binding reuse the rules
   * it resolved last time. Without it, roles are looked up on every decision.
   */
  generation?(): number;
}

/** A role reference that cannot be resolved: the role is missing, or the kind is unknown. */
export class RoleRefError extends Error {
  constructor(
    message: string,
    readonly reason: 'NotFound' | 'UnsupportedKind',
    readonly ref: RoleRef,
  ) {
    super(message);
  }
}

export interface IndexedBinding {
  key: string;
  obj: KubeObject;
  subjects: Subject[];
  ref: RoleRef;
  /** Per subject: the username it matches (User, ServiceAccount), the group (Group), or undefined. */
  match: Array<{ user?: string; group?: string }>;
  /** The role's rules (or the resolution error) as of a roles generation. */
  memo?: { generation: number; rules?: Required<PolicyRule>[]; error?: Error };
}

/**
 * Bindings by subject, per namespace ('' for cluster bindings): users (User subjects, and
 * ServiceAccount subjects by their username system:serviceaccount:<ns>:<name>) and groups.
 * Lookups use the request's own username and group strings (no key building on the hot path).
 */
export class BindingIndex {
  private readonly users = new Map<string, Map<string, Map<string, IndexedBinding>>>();
  private readonly groups = new Map<string, Map<string, Map<string, IndexedBinding>>>();
  private readonly byBinding = new Map<string, { binding: IndexedBinding; users: string[]; groups: string[] }>();

  constructor(private readonly namespaced: boolean) {}

  get size(): number {
    return this.byBinding.size;
  }

  private static add(top: Map<string, Map<string, Map<string, IndexedBinding>>>, ns: string, subject: string, b: IndexedBinding): void {
    let byNs = top.get(ns);
    if (!byNs) top.set(ns, (byNs = new Map()));
    let m = byNs.get(subject);
    if (!m) byNs.set(subject, (m = new Map()));
    m.set(b.key, b);
  }

  private static drop(top: Map<string, Map<string, Map<string, IndexedBinding>>>, ns: string, subject: string, key: string): void {
    const byNs = top.get(ns);
    const m = byNs?.get(subject);
    if (!byNs || !m) return;
    m.delete(key);
    if (m.size === 0) byNs.delete(subject);
    if (byNs.size === 0) top.delete(ns);
  }

  upsert(obj: KubeObject): void {
    const ns = this.namespaced ? (obj.metadata.namespace ?? '') : '';
    const key = `${ns}/${obj.metadata.name}`;
    this.remove(obj);
    const subjects = subjectsOf(obj);
    const match = subjects.map((s) => {
      if (s.kind === 'User') return { user: s.name };
      if (s.kind === 'Group') return { group: s.name };
      if (s.kind === 'ServiceAccount' && (s.namespace || ns)) return { user: `${saPrefix}${s.namespace || ns}:${s.name}` };
      return {};
    });
    const binding: IndexedBinding = { key, obj, subjects, ref: roleRefOf(obj), match };
    const users = new Set<string>();
    const groups = new Set<string>();
    for (const s of binding.subjects) {
      if (s.kind === 'User') users.add(s.name);
      else if (s.kind === 'Group') groups.add(s.name);
      else if (s.kind === 'ServiceAccount') {
        const sns = s.namespace || ns;
        if (sns) users.add(`${saPrefix}${sns}:${s.name}`);
      }
    }
    for (const u of users) BindingIndex.add(this.users, ns, u, binding);
    for (const g of groups) BindingIndex.add(this.groups, ns, g, binding);
    this.byBinding.set(key, { binding, users: [...users], groups: [...groups] });
  }

  remove(obj: KubeObject): void {
    const ns = this.namespaced ? (obj.metadata.namespace ?? '') : '';
    const key = `${ns}/${obj.metadata.name}`;
    const prev = this.byBinding.get(key);
    if (!prev) return;
    for (const u of prev.users) BindingIndex.drop(this.users, ns, u, key);
    for (const g of prev.groups) BindingIndex.drop(this.groups, ns, g, key);
    this.byBinding.delete(key);
  }

  /**
   * Bindings (in `namespace`, '' for cluster bindings) with a subject that may be this user: those
   * naming the user first, then those of each group in the user's order, each once, in the order
   * they were indexed. Hot path: plain loops, no closures, no key building.
   */
  candidates(user: UserInfo, namespace: string): IndexedBinding[] {
    const out: IndexedBinding[] = [];
    let lists = 0;
    let seen: Set<IndexedBinding> | undefined;
    const um = this.users.get(namespace)?.get(user.username);
    if (um) {
      lists++;
      for (const b of um.values()) out.push(b);
    }
    const gm = this.groups.get(namespace);
    if (gm) {
      for (const g of user.groups) {
        const m = gm.get(g);
        if (!m) continue;
        if (++lists === 2) seen = new Set(out);
        for (const b of m.values()) {
          if (seen) {
            if (seen.has(b)) continue;
            seen.add(b);
          }
          out.push(b);
        }
      }
    }
    return out;
  }
}

/** Parsed rules per stored role object (objects from the watch cache are frozen and replaced on change). */
const parsedRules = new WeakMap<KubeObject, Required<PolicyRule>[]>();
function cachedRulesOf(role: KubeObject): Required<PolicyRule>[] {
  let r = parsedRules.get(role);
  if (!r) parsedRules.set(role, (r = rulesOf(role)));
  return r;
}

/** Upstream appliesToUser. */
export function appliesToUser(user: UserInfo, s: Subject, namespace: string): boolean {
  switch (s.kind) {
    case 'User':
      return user.username === s.name;
    case 'Group':
      return user.groups.includes(s.name);
    case 'ServiceAccount': {
      const ns = s.namespace || namespace;
      if (!ns) return false;
      return user.username === `${saPrefix}${ns}:${s.name}`;
    }
    default:
      return false;
  }
}

function describeSubject(s: Subject, bindingNamespace: string): string {
  if (s.kind === 'ServiceAccount') return `${s.kind} ${JSON.stringify(`${s.name}/${s.namespace || bindingNamespace}`)}`;
  return `${s.kind} ${JSON.stringify(s.name)}`;
}

/** Describes the binding a rule came from, built only when asked (`String(source)`), like Go's fmt.Stringer. */
export class RuleSource {
  constructor(
    private readonly binding: IndexedBinding,
    private readonly subjectIndex: number,
    private readonly namespace: string,
  ) {}

  toString(): string {
    const b = this.binding;
    const subject = describeSubject(b.subjects[this.subjectIndex]!, this.namespace);
    return this.namespace
      ? `RoleBinding ${JSON.stringify(`${b.obj.metadata.name}/${this.namespace}`)} of ${b.ref.kind} ${JSON.stringify(b.ref.name)} to ${subject}`
      : `ClusterRoleBinding ${JSON.stringify(b.obj.metadata.name)} of ${b.ref.kind} ${JSON.stringify(b.ref.name)} to ${subject}`;
  }
}

/** Called per rule (source describes the binding) or per resolution error; return false to stop. */
export type RuleVisitor = (source: RuleSource | null, rule: Required<PolicyRule> | null, err: Error | null) => boolean;

export interface RuleResolver {
  visitRulesFor(user: UserInfo, namespace: string, visit: RuleVisitor): void;
  /**
   * The first binding (in visiting order) with a rule that allows `attrs`, or null; plus the resolution
   * errors met before it. Same result as visitRulesFor with a short-circuiting visitor, without
   * per-rule callbacks (the authorizer's hot path).
   */
  firstAllowing(attrs: Attributes): { source: RuleSource | null; errors: Error[] };
  /** Every rule that applies, and the resolution errors met (rules are still usable). */
  rulesFor(user: UserInfo, namespace: string): { rules: Required<PolicyRule>[]; errors: Error[] };
  /** The rules a binding's roleRef grants; throws RoleRefError. */
  roleReferenceRules(ref: RoleRef, bindingNamespace: string): Required<PolicyRule>[];
}

export interface RuleResolverOptions {
  roles: RoleSource;
  clusterRoleBindings: BindingIndex;
  roleBindings: BindingIndex;
}

export function createRuleResolver(o: RuleResolverOptions): RuleResolver {
  function roleReferenceRules(ref: RoleRef, bindingNamespace: string): Required<PolicyRule>[] {
    switch (ref.kind) {
      case 'Role': {
        const role = bindingNamespace ? o.roles.role(bindingNamespace, ref.name) : undefined;
        if (!role) throw new RoleRefError(`role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`, 'NotFound', ref);
        return cachedRulesOf(role);
      }
      case 'ClusterRole': {
        const role = o.roles.clusterRole(ref.name);
        if (!role) throw new RoleRefError(`clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`, 'NotFound', ref);
        return cachedRulesOf(role);
      }
      default:
        throw new RoleRefError(`unsupported role reference kind: ${JSON.stringify(ref.kind)}`, 'UnsupportedKind', ref);
    }
  }

  function visitBindings(user: UserInfo, namespace: string, index: BindingIndex, visit: RuleVisitor): boolean {
    for (const b of index.candidates(user, namespace)) {
      const i = b.subjects.findIndex((s) => appliesToUser(user, s, namespace));
      if (i < 0) continue;
      let rules: Required<PolicyRule>[];
      try {
        rules = roleReferenceRules(b.ref, namespace);
      } catch (e) {
        if (!visit(null, null, e as Error)) return false;
        continue;
      }
      const source = new RuleSource(b, i, namespace);
      for (const r of rules) if (!visit(source, r, null)) return false;
    }
    return true;
  }

  function firstIn(attrs: Attributes, namespace: string, index: BindingIndex, errors: Error[]): RuleSource | null {
    const user = attrs.user;
    const candidates = index.candidates(user, namespace);
    const generation = o.roles.generation ? o.roles.generation() : -1;
    for (let c = 0; c < candidates.length; c++) {
      const b = candidates[c]!;
      let i = 0;
      for (; i < b.match.length; i++) {
        const m = b.match[i]!;
        if (m.user !== undefined ? m.user === user.username : m.group !== undefined && user.groups.includes(m.group)) break;
      }
      if (i === b.match.length) continue;
      let memo = b.memo;
      if (!memo || memo.generation !== generation || generation < 0) {
        try {
          memo = { generation, rules: roleReferenceRules(b.ref, namespace) };
        } catch (e) {
          memo = { generation, error: e as Error };
        }
        b.memo = memo;
      }
      if (memo.error) {
        errors.push(memo.error);
        continue;
      }
      const rules = memo.rules!;
      for (let r = 0; r < rules.length; r++) if (ruleAllows(attrs, rules[r]!)) return new RuleSource(b, i, namespace);
    }
    return null;
  }

  const resolver: RuleResolver = {
    roleReferenceRules,
    firstAllowing(attrs) {
      const errors: Error[] = [];
      let source = firstIn(attrs, '', o.clusterRoleBindings, errors);
      if (!source && attrs.namespace) source = firstIn(attrs, attrs.namespace, o.roleBindings, errors);
      return { source, errors };
    },
    visitRulesFor(user, namespace, visit) {
      if (!visitBindings(user, '', o.clusterRoleBindings, visit)) return;
      if (namespace) visitBindings(user, namespace, o.roleBindings, visit);
    },
    rulesFor(user, namespace) {
      const rules: Required<PolicyRule>[] = [];
      const errors: Error[] = [];
      resolver.visitRulesFor(user, namespace, (_s, r, e) => {
        if (r) rules.push(r);
        if (e) errors.push(e);
        return true;
      });
      return { rules, errors };
    },
  };
  return resolver;
}

/** utilerrors.NewAggregate(errs).Error(): one message, or `[a, b]` of the distinct messages. */
export function aggregateMessage(errors: Error[]): string {
  if (errors.length === 1) return errors[0]!.message;
  const seen = [...new Set(errors.map((e) => e.message))];
  return seen.length === 1 ? seen[0]! : `[${seen.join(', ')}]`;
}
