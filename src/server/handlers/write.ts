/** POST (create), PUT (update, subresources) and DELETE (one, or a collection). */
import type { KubeObject } from '../../api/meta.js';
import { groupVersion } from '../../api/resources.js';
import { badRequest, methodNotSupported } from '../../api/status.js';
import { listJson, setWarnings, writeJson, writeJsonText } from '../responses.js';
import { decodeDeleteOptions, decodeObject } from './decode.js';
import { listOptionsOf } from './read.js';
import { writeContext, type Scope } from './scope.js';

function checkNamespace(scope: Scope, obj: KubeObject): void {
  const ns = obj.metadata.namespace;
  if (scope.resource.namespaced && ns !== undefined && ns !== '' && ns !== scope.info.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

export async function handleCreate(scope: Scope, body: Buffer): Promise<void> {
  const { info, store, resource } = scope;
  if (info.name) throw methodNotSupported({ group: resource.group, resource: resource.resource }, 'create');
  if (resource.namespaced && !info.namespace) throw methodNotSupported({ group: resource.group, resource: resource.resource }, 'create');
  const obj = decodeObject(scope, body);
  checkNamespace(scope, obj);
  const ctx = writeContext(scope);
  const created = await store.create(info.namespace, obj, ctx);
  scope.warnings.push(...store.warningsOnCreate(created));
  setWarnings(scope.res, scope.warnings);
  writeJsonText(scope.res, 201, store.rawOf(created), scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
}

export async function handleUpdate(scope: Scope, body: Buffer): Promise<void> {
  const { info, store } = scope;
  const obj = decodeObject(scope, body);
  checkNamespace(scope, obj);
  if (obj.metadata.name && obj.metadata.name !== info.name) {
    throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${info.name})`);
  }
  obj.metadata.name = info.name;
  const ctx = writeContext(scope);
  const old = store.find(info.namespace, info.name);
  const result = await store.update(info.namespace, info.name, obj, ctx, info.subresource);
  if (old && !result.created) scope.warnings.push(...store.warningsOnUpdate(result.object, old));
  else if (result.created) scope.warnings.push(...store.warningsOnCreate(result.object));
  setWarnings(scope.res, scope.warnings);
  writeJsonText(scope.res, result.created ? 201 : 200, store.rawOf(result.object), scope.output.kind === 'yaml' ? scope.output : { kind: 'json' });
}

export async function handleDelete(scope: Scope, body: Buffer): Promise<void> {
  const { info, store } = scope;
  const options = decodeDeleteOptions(scope, body);
  const ctx = writeContext(scope);
  if (options.dryRun?.length) ctx.dryRun = true;
  const result = await store.delete(info.namespace, info.name, options, ctx);
  setWarnings(scope.res, scope.warnings);
  writeJson(scope.res, result.deleted ? 200 : 202, store.deleteResponse(result));
}

export async function handleDeleteCollection(scope: Scope, body: Buffer): Promise<void> {
  const { info, store, resource } = scope;
  const options = decodeDeleteOptions(scope, body);
  const ctx = writeContext(scope);
  if (options.dryRun?.length) ctx.dryRun = true;
  const deleted = await store.deleteCollection(info.namespace, listOptionsOf(scope.query), options, ctx);
  setWarnings(scope.res, scope.warnings);
  const json = listJson(resource.listKind, groupVersion(resource), { resourceVersion: String(store.cache.revision) }, deleted.map((o) => Buffer.from(JSON.stringify(o))));
  scope.res.statusCode = 200;
  scope.res.setHeader('Content-Type', 'application/json');
  scope.res.end(json);
}
