/**
 * PATCH: JSON patch, merge patch, strategic merge patch, and apply (server-side apply, simplified:
 * the applied configuration is strategically merged into the live object; a missing object is
 * created). A resourceVersion inside the patch is a precondition (409 when stale).
 */
import type { KubeObject } from '../../api/meta.js';
import type { SchemaRegistry } from '../../api/schema/types.js';
import { notFound, unsupportedMediaType, badRequest } from '../../api/status.js';
import { parseBool } from '../../api/meta.js';
import { groupVersion } from '../../api/resources.js';
import { appliedFields, planApply } from '../../registry/managed-fields.js';
import { parseJsonBody, parseYamlBody } from '../body.js';
import { parseMediaType } from '../negotiation.js';
import {
  applyJsonPatch,
  applyMergePatch,
  applyStrategicMergePatch,
  PatchError,
  patchTypeFor,
} from '../patch/index.js';
import { setWarnings, writeJson, writeJsonText } from '../responses.js';
import { checkTypeMeta, validateFields } from './decode.js';
import { asKubeObject, cannotHandle, writeContext, type Scope } from './scope.js';

let registry: SchemaRegistry = { definitions: {}, kinds: [] };

/** Installs the schema registry used for strategic merge patch (once at startup). */
export function setPatchSchemaRegistry(r: SchemaRegistry): void {
  registry = r;
}

function mapPatchError(e: unknown): never {
  if (e instanceof PatchError) throw e.toStatusError();
  if (e instanceof RangeError) throw badRequest('the patch is nested too deeply');
  throw e;
}

export async function handlePatch(scope: Scope, body: Buffer): Promise<void> {
  const { info, store, resource } = scope;
  const ct = scope.req.headers['content-type'] ?? '';
  const type = patchTypeFor(ct);
  if (!type) throw unsupportedMediaType(parseMediaType(ct).type);
  const text = body.toString('utf8');
  const what = cannotHandle(resource);
  const patch = type === 'apply' ? parseYamlBody(text, what) : parseJsonBody(text, what);
  const ctx = writeContext(scope);
  const subresource = info.subresource;

  const force = parseBool(scope.query.get('force')) === true;
  if (type !== 'apply' && scope.query.get('force') !== null) throw badRequest('force: Invalid value: force flag must only be set for apply requests');
  let config: KubeObject | undefined;
  if (type === 'apply') {
    if (!scope.query.get('fieldManager')) throw badRequest('fieldManager: Required value: is required for apply patch');
    const applied = asKubeObject(patch, resource);
    checkTypeMeta(applied, resource);
    if (!applied.apiVersion || !applied.kind) {
      throw badRequest(`${what}: apiVersion and kind must be set in an apply configuration`);
    }
    scope.warnings.push(...validateFields(scope, applied, resource));
    if (applied.metadata.name && applied.metadata.name !== info.name) {
      throw badRequest(`the name of the object (${applied.metadata.name}) does not match the name on the URL (${info.name})`);
    }
    applied.metadata.name = info.name;
    config = applied;
    if (!store.find(info.namespace, info.name)) {
      if (subresource) throw notFound(store.groupResource, info.name);
      if (store.typeSchema) ctx.applied = appliedFields(applied, store.typeSchema, '');
      const created = await store.create(info.namespace, structuredClone(applied), ctx);
      setWarnings(scope.res, scope.warnings);
      writeJson(scope.res, 201, created);
      return;
    }
  }

  const updated = await store.guaranteedUpdate(
    info.namespace,
    info.name,
    ctx,
    (current: KubeObject) => {
      let next: unknown;
      try {
        switch (type) {
          case 'json':
            next = applyJsonPatch(current, patch);
            break;
          case 'merge':
            next = applyMergePatch(current, patch);
            break;
          case 'strategic':
            next = applyStrategicMergePatch(current, patch, { type: 'ref', ref: resource.definition }, registry);
            break;
          case 'apply': {
            let base = current;
            if (store.typeSchema) {
              const c = { manager: ctx.fieldManager ?? '', operation: 'Apply' as const, subresource, apiVersion: groupVersion(resource), time: '' };
              const plan = planApply(current, config!, store.typeSchema, c, force);
              base = plan.base;
              ctx.applied = plan.applied;
            }
            next = applyStrategicMergePatch(base, config, { type: 'ref', ref: resource.definition }, registry);
            break;
          }
        }
      } catch (e) {
        mapPatchError(e);
      }
      const obj = asKubeObject(next, resource);
      checkTypeMeta(obj, resource);
      const warnings = validateFields(scope, obj, resource);
      for (const w of warnings) if (!scope.warnings.includes(w)) scope.warnings.push(w);
      return obj;
    },
    { subresource },
  );
  setWarnings(scope.res, scope.warnings);
  writeJsonText(scope.res, 200, store.rawOf(updated));
}
