/**
 * The `pods/binding` subresource (upstream pkg/registry/core/pod/storage/storage.go BindingREST,
 * 1.32): binds an unscheduled pod to a node. Knows no HTTP: the caller decodes the Binding and
 * writes the answer (201 with the returned Status).
 *
 * Contract, in upstream's order and wording:
 * 1. metadata.namespace, if set, must be the URL's (400, the generic create handler's check);
 * 2. mutating admission sees CREATE pods/binding with the Binding;
 * 3. the Binding's name must be the URL's (400 `name in URL does not match name in Binding object`);
 * 4. ValidatePodBinding: target.kind empty or Node, target.name required; a failure is not a
 *    StatusError upstream, so it answers 500 with an empty reason and the aggregated message;
 * 5. validating admission, then the pod is updated through the pods Store (watches see a
 *    MODIFIED event; managedFields untouched, as upstream writes storage directly):
 *    - binding metadata.uid / metadata.resourceVersion are preconditions (409 on pods);
 *    - 404 `pods "x" not found` when missing;
 *    - 409 on pods/binding: `pod x is being deleted, cannot be assigned to a host`,
 *      `pod x is already assigned to node "n"`, `pod x has non-empty .spec.schedulingGates`;
 *    - spec.nodeName = target.name, the Binding's annotations merged into the pod's, condition
 *      PodScheduled=True set (appended, or replacing an existing PodScheduled condition; its
 *      lastTransitionTime kept when it already was True).
 * dryRun=All runs every check and writes nothing.
 */
import { notSupported, required, fieldErrorMessage, type FieldError } from '../../api/field-errors.js';
import { formatTime, type KubeObject } from '../../api/meta.js';
import { badRequest, conflict, failure, type Status } from '../../api/status.js';
import type { AdmissionAttributes } from '../../admission/types.js';
import { asArray, asObject, str } from '../common.js';
import type { Store, WriteContext } from '../store.js';
import type { SubresourceStrategy } from '../types.js';

export interface BindingREST {
  /** Binds pod `name` in `namespace` as `binding` says; resolves to the Success Status. Throws StatusError. */
  create(namespace: string, name: string, binding: KubeObject, ctx: WriteContext): Promise<Status>;
}

export interface BindingOptions {
  pods: Store;
  /** Epoch ms (condition timestamps). */
  now?: () => number;
}

/** Upstream validation.ValidatePodBinding. */
export function validatePodBinding(binding: KubeObject): FieldError[] {
  const errs: FieldError[] = [];
  const target = asObject(binding.target);
  const kind = str(target.kind);
  if (kind !== '' && kind !== 'Node') errs.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (str(target.name) === '') errs.push(required('target.name', ''));
  return errs;
}

/** The raw storage update of BindingREST: nothing beyond ObjectMeta is prepared or validated. */
const bindingUpdate: SubresourceStrategy = {
  prepareForUpdate: () => {},
  validateUpdate: () => [],
};

/** podutil.UpdatePodCondition for a PodScheduled=True condition at `time`. */
export function setPodScheduled(status: Record<string, unknown>, time: string): void {
  const conditions = asArray(status.conditions) as Array<Record<string, unknown>>;
  const condition: Record<string, unknown> = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: time };
  const at = conditions.findIndex((c) => c && c.type === 'PodScheduled');
  if (at < 0) {
    status.conditions = [...conditions, condition];
    return;
  }
  if (conditions[at]!.status === 'True') condition.lastTransitionTime = conditions[at]!.lastTransitionTime ?? time;
  const next = [...conditions];
  next[at] = condition;
  status.conditions = next;
}

export function createBindingREST(o: BindingOptions): BindingREST {
  const now = o.now ?? Date.now;
  const pods = o.pods;
  const bindingConflict = (name: string, reason: string) => conflict({ group: '', resource: 'pods/binding' }, name, reason);

  return {
    async create(namespace, name, binding, ctx) {
      const meta = binding.metadata ?? {};
      if (meta.namespace && meta.namespace !== namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      const attrs: AdmissionAttributes = {
        operation: 'CREATE',
        resource: pods.info,
        subresource: 'binding',
        namespace,
        name,
        object: binding,
        oldObject: null,
        user: ctx.user,
        dryRun: ctx.dryRun,
      };
      await ctx.admission?.admit(attrs);
      const admitted = attrs.object ?? binding;
      const admittedMeta = admitted.metadata ?? {};
      if ((admittedMeta.name ?? '') !== name) throw badRequest('name in URL does not match name in Binding object');
      const errs = validatePodBinding(admitted);
      if (errs.length) {
        const text = errs.length === 1 ? fieldErrorMessage(errs[0]!) : `[${errs.map(fieldErrorMessage).join(', ')}]`;
        throw failure(500, '', text);
      }
      await ctx.admission?.validate({ ...attrs, object: admitted });

      const uid = str(admittedMeta.uid);
      const resourceVersion = str(admittedMeta.resourceVersion);
      const nodeName = str(asObject(admitted.target).name);
      const annotations = asObject(admittedMeta.annotations);
      await pods.guaranteedUpdate(
        namespace,
        name,
        { user: ctx.user, dryRun: ctx.dryRun },
        (pod) => {
          if (uid && uid !== pod.metadata.uid) {
            throw conflict(pods.groupResource, name, `Precondition failed: UID in precondition: ${uid}, UID in object meta: ${pod.metadata.uid ?? ''}`);
          }
          if (resourceVersion && resourceVersion !== pod.metadata.resourceVersion) {
            throw conflict(
              pods.groupResource,
              name,
              `Precondition failed: ResourceVersion in precondition: ${resourceVersion}, ResourceVersion in object meta: ${pod.metadata.resourceVersion ?? ''}`,
            );
          }
          const podName = pod.metadata.name ?? name;
          if (pod.metadata.deletionTimestamp) throw bindingConflict(name, `pod ${podName} is being deleted, cannot be assigned to a host`);
          const spec = asObject(pod.spec);
          const assigned = str(spec.nodeName);
          if (assigned !== '') throw bindingConflict(name, `pod ${podName} is already assigned to node ${JSON.stringify(assigned)}`);
          if (asArray(spec.schedulingGates).length) throw bindingConflict(name, `pod ${podName} has non-empty .spec.schedulingGates`);
          pod.spec = { ...spec, nodeName };
          if (Object.keys(annotations).length) {
            pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}) };
            for (const [k, v] of Object.entries(annotations)) pod.metadata.annotations[k] = str(v);
          }
          const status = { ...asObject(pod.status) };
          setPodScheduled(status, formatTime(now()));
          pod.status = status;
          return pod;
        },
        { subresource: 'binding', subresourceStrategy: bindingUpdate },
      );
      return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    },
  };
}
