import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { allResources, type ResourceInfo } from '../../api/resources.js';
import { schemaRegistry } from '../../api/schema/registry.js';
import { createOpenApiDocuments } from './index.js';
import { createOnlyKinds } from './operations.js';
import { gnosticRoot } from './v2-proto.js';

type J = Record<string, any>;

const docs = createOpenApiDocuments();
const root = docs.v3Root() as { paths: Record<string, { serverRelativeURL: string }> };
const v3 = (gvPath: string): J => JSON.parse(docs.v3Document(gvPath)!.body) as J;

/** All `$ref` strings in a JSON value. */
function refs(v: unknown, out: string[] = []): string[] {
  const stack = [v];
  while (stack.length) {
    const x = stack.pop();
    if (Array.isArray(x)) stack.push(...x);
    else if (x && typeof x === 'object') {
      for (const [k, c] of Object.entries(x)) {
        if (k === '$ref' && typeof c === 'string') out.push(c);
        else stack.push(c);
      }
    }
  }
  return out;
}

/** kubectl's check (cli-runtime query_param_verifier_v3.go): a PATCH op with the GVK and the parameter. */
function v3SupportsFieldValidation(doc: J, gvk: { group: string; version: string; kind: string }): boolean {
  for (const item of Object.values(doc.paths as J)) {
    const op = (item as J).patch as J | undefined;
    const g = op?.['x-kubernetes-group-version-kind'];
    if (!g || g.group !== gvk.group || g.version !== gvk.version || g.kind !== gvk.kind) continue;
    if ((op!.parameters as J[]).some((p) => p.name === 'fieldValidation')) return true;
  }
  return false;
}

const gvPath = (r: { group: string; version: string }) => (r.group ? `apis/${r.group}/${r.version}` : `api/${r.version}`);

describe('openapi v3', () => {
  it('lists every group-version of the registry with a content hash', () => {
    assert.deepEqual(Object.keys(root.paths), [
      'api/v1', 'apis/authentication.k8s.io/v1', 'apis/authentication.k8s.io/v1beta1', 'apis/authorization.k8s.io/v1',
      'apis/coordination.k8s.io/v1', 'apis/rbac.authorization.k8s.io/v1',
    ]);
    for (const [path, { serverRelativeURL }] of Object.entries(root.paths)) {
      const doc = docs.v3Document(path)!;
      assert.match(doc.etag, /^[0-9A-F]{128}$/);
      assert.equal(doc.etag, createHash('sha512').update(doc.body).digest('hex').toUpperCase());
      assert.equal(serverRelativeURL, `/openapi/v3/${path}?hash=${doc.etag}`);
    }
    assert.equal(docs.v3Document('apis/nope/v1'), undefined);
    assert.equal(docs.v3Document('/api/v1'), docs.v3Document('api/v1'), 'leading slash tolerated, cached');
  });

  it('advertises server-side field validation for every served and create-only kind', () => {
    const kinds = [...allResources, ...createOnlyKinds];
    for (const r of kinds) {
      const doc = v3(gvPath(r));
      assert.ok(v3SupportsFieldValidation(doc, r), `${r.group}/${r.version} ${r.kind}`);
    }
    // Every PATCH lists the four parameters kubectl sends.
    for (const path of Object.keys(root.paths)) {
      for (const [p, item] of Object.entries(v3(path).paths as J)) {
        const patch = (item as J).patch as J | undefined;
        if (!patch) continue;
        assert.deepEqual((patch.parameters as J[]).map((x) => x.name), ['dryRun', 'fieldManager', 'fieldValidation', 'force'], p);
        assert.equal(patch['x-kubernetes-action'], 'patch');
        assert.ok(patch.requestBody.content['application/strategic-merge-patch+json'], p);
      }
    }
  });

  it('has the upstream operations of a namespaced resource', () => {
    const paths = v3('api/v1').paths as J;
    const col = paths['/api/v1/namespaces/{namespace}/serviceaccounts'];
    const item = paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}'];
    assert.deepEqual(Object.keys(col).sort(), ['delete', 'get', 'parameters', 'post']);
    assert.deepEqual(Object.keys(item).sort(), ['delete', 'get', 'parameters', 'patch', 'put']);
    assert.equal(col.get.operationId, 'listCoreV1NamespacedServiceAccount');
    assert.equal(col.get['x-kubernetes-action'], 'list');
    assert.equal(col.delete['x-kubernetes-action'], 'deletecollection');
    assert.equal(item.patch.operationId, 'patchCoreV1NamespacedServiceAccount');
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: '', kind: 'ServiceAccount', version: 'v1' });
    assert.equal(paths['/api/v1/serviceaccounts'].get.operationId, 'listCoreV1ServiceAccountForAllNamespaces');
    assert.equal(paths['/api/v1/namespaces/{name}'].get.operationId, 'readCoreV1Namespace');
    assert.equal(paths['/api/v1/namespaces/{name}/finalize'].put.operationId, 'replaceCoreV1NamespaceFinalize');
    assert.equal(paths['/api/v1/namespaces/{namespace}/pods/{name}/status'].patch['x-kubernetes-group-version-kind'].kind, 'Pod');
    assert.equal(paths['/api/v1/namespaces'].delete, undefined, 'namespaces have no deletecollection');
    const review = v3('apis/authentication.k8s.io/v1').paths as J;
    assert.equal(review['/apis/authentication.k8s.io/v1/tokenreviews'].post.operationId, 'createAuthenticationV1TokenReview');
    assert.ok(review['/apis/authentication.k8s.io/v1/tokenreviews/{name}'].patch, 'synthetic patch');
    const lsar = v3('apis/authorization.k8s.io/v1').paths as J;
    assert.ok(lsar['/apis/authorization.k8s.io/v1/namespaces/{namespace}/localsubjectaccessreviews/{name}'].patch);
  });

  it('converts schemas in the real spec form', () => {
    const schemas = v3('api/v1').components.schemas as J;
    const sa = schemas['io.k8s.api.core.v1.ServiceAccount'];
    assert.deepEqual(sa['x-kubernetes-group-version-kind'], [{ group: '', kind: 'ServiceAccount', version: 'v1' }]);
    assert.deepEqual(sa.properties.metadata.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' }]);
    assert.deepEqual(sa.properties.secrets, {
      description: sa.properties.secrets.description,
      items: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.core.v1.ObjectReference' }], default: {} },
      type: 'array',
      'x-kubernetes-list-map-keys': ['name'],
      'x-kubernetes-list-type': 'map',
      'x-kubernetes-patch-merge-key': 'name',
      'x-kubernetes-patch-strategy': 'merge',
    });
    assert.equal(sa.properties.imagePullSecrets['x-kubernetes-list-type'], 'atomic');
    assert.equal(sa.properties.imagePullSecrets['x-kubernetes-patch-strategy'], undefined);
    const meta = schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'].properties;
    assert.deepEqual(meta.creationTimestamp.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.Time' }]);
    assert.deepEqual(meta.labels.additionalProperties, { type: 'string' });
    assert.equal(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.Time'].format, 'date-time');
    assert.equal(schemas['io.k8s.api.core.v1.Secret'].properties.data.additionalProperties.format, 'byte');
    assert.equal(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].format, 'int-or-string');
    assert.deepEqual(schemas['io.k8s.apimachinery.pkg.util.intstr.IntOrString'].oneOf, [{ type: 'integer' }, { type: 'string' }]);
    assert.deepEqual(schemas['io.k8s.api.core.v1.NodeStatus'].properties.capacity.additionalProperties, { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' });
    assert.deepEqual(schemas['io.k8s.api.core.v1.Event'].properties.eventTime.allOf, [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime' }]);
    assert.equal(schemas['io.k8s.api.core.v1.PodSpec'].properties.volumes['x-kubernetes-patch-strategy'], 'merge,retainKeys');
    assert.ok(schemas['io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions']['x-kubernetes-group-version-kind'].some((g: J) => g.group === 'rbac.authorization.k8s.io'));
  });

  it('puts subresources of another group in the parent document (serviceaccounts/token)', () => {
    const resources = allResources.map((r) => (r.resource === 'serviceaccounts'
      ? { ...r, subresources: [{ name: 'token', group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest', verbs: ['create'] }] }
      : r));
    const doc = JSON.parse(createOpenApiDocuments({ resources }).v3Document('api/v1')!.body) as J;
    const post = doc.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}/token'].post;
    assert.equal(post.operationId, 'createCoreV1NamespacedServiceAccountToken');
    assert.deepEqual(post['x-kubernetes-group-version-kind'], { group: 'authentication.k8s.io', kind: 'TokenRequest', version: 'v1' });
    assert.ok(doc.components.schemas['io.k8s.api.authentication.v1.TokenRequest']);
    assert.ok(doc.components.schemas['io.k8s.api.authentication.v1.BoundObjectReference']);
  });

  it('resolves every ref of every document inside its own components', () => {
    for (const path of Object.keys(root.paths)) {
      const doc = v3(path);
      const prefix = '#/components/schemas/';
      for (const r of refs(doc)) {
        assert.ok(r.startsWith(prefix), r);
        assert.ok(doc.components.schemas[r.slice(prefix.length)], `${path}: ${r}`);
      }
      for (const k of schemaRegistry.kinds) {
        if (gvPath(k.gvk) !== path) continue;
        const gvks = doc.components.schemas[k.definition]['x-kubernetes-group-version-kind'] as J[];
        assert.ok(gvks.some((g) => g.kind === k.gvk.kind && g.version === k.gvk.version && g.group === k.gvk.group), k.definition);
      }
    }
  });
});

describe('openapi v2', () => {
  const v2 = JSON.parse(docs.v2Json()) as J;

  it('is Swagger 2.0 with every definition and resolvable refs', () => {
    assert.equal(v2.swagger, '2.0');
    for (const name of Object.keys(schemaRegistry.definitions)) assert.ok(v2.definitions[name], name);
    for (const r of refs(v2)) {
      assert.ok(r.startsWith('#/definitions/'), r);
      assert.ok(v2.definitions[r.slice('#/definitions/'.length)], r);
    }
    const sa = v2.definitions['io.k8s.api.core.v1.ServiceAccount'];
    assert.deepEqual(sa.properties.metadata, { $ref: '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', description: sa.properties.metadata.description });
    assert.equal(sa.properties.secrets['x-kubernetes-patch-merge-key'], 'name');
    const patch = v2.paths['/api/v1/namespaces/{namespace}/serviceaccounts/{name}'].patch;
    assert.deepEqual(patch.parameters.map((p: J) => p.name), ['body', 'dryRun', 'fieldManager', 'fieldValidation', 'force']);
  });

  it('encodes to a gnostic protobuf Document that decodes back to the same structure', () => {
    const bytes = docs.v2Protobuf();
    assert.equal(docs.v2Protobuf(), bytes, 'cached');
    const Document = gnosticRoot().lookupType('openapi.v2.Document');
    const doc = Document.toObject(Document.decode(bytes), { defaults: false }) as J;
    assert.equal(doc.swagger, '2.0');
    assert.deepEqual(doc.info, { title: 'Kubernetes', version: 'v1.32.0' });
    const defs = new Map<string, J>((doc.definitions.additional_properties as J[]).map((d) => [d.name, d.value]));
    assert.equal(defs.size, Object.keys(v2.definitions).length);

    // What kube-openapi's proto.NewOpenAPIData insists on: refs resolve, arrays have one item schema.
    const stack: J[] = [...defs.values()];
    while (stack.length) {
      const s = stack.pop()!;
      if (s._ref) assert.ok(defs.has(s._ref.replace('#/definitions/', '')), s._ref);
      if (s.type?.value?.[0] === 'array') assert.equal(s.items?.schema?.length, 1);
      for (const p of s.properties?.additional_properties ?? []) stack.push(p.value);
      for (const i of s.items?.schema ?? []) stack.push(i);
      if (s.additional_properties?.schema) stack.push(s.additional_properties.schema);
    }

    const sa = defs.get('io.k8s.api.core.v1.ServiceAccount')!;
    assert.deepEqual(sa.type.value, ['object']);
    const ext = (s: J, name: string) => parseYaml((s.vendor_extension as J[]).find((e) => e.name === name)!.value.yaml);
    assert.deepEqual(ext(sa, 'x-kubernetes-group-version-kind'), [{ group: '', kind: 'ServiceAccount', version: 'v1' }]);
    const props = new Map<string, J>((sa.properties.additional_properties as J[]).map((p) => [p.name, p.value]));
    const secrets = props.get('secrets')!;
    assert.equal(ext(secrets, 'x-kubernetes-patch-merge-key'), 'name');
    assert.equal(ext(secrets, 'x-kubernetes-patch-strategy'), 'merge');
    assert.deepEqual(ext(secrets, 'x-kubernetes-list-map-keys'), ['name']);
    assert.equal(secrets.items.schema[0]._ref, '#/definitions/io.k8s.api.core.v1.ObjectReference');
    assert.equal(props.get('metadata')!._ref, '#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta');
    const labels = new Map<string, J>((defs.get('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')!.properties.additional_properties as J[]).map((p) => [p.name, p.value])).get('labels')!;
    assert.deepEqual(labels.additional_properties.schema.type.value, ['string']);

    // kubectl 1.27/1.28's v2 check (cli-runtime query_param_verifier.go): the FIRST patch op
    // carrying the GVK must list fieldValidation among its query parameters.
    const supports = (gvk: { group: string; version: string; kind: string }) => {
      for (const path of doc.paths.path as J[]) {
        const op = path.value.patch as J | undefined;
        if (!op) continue;
        const g = (op.vendor_extension as J[]).find((e) => e.name === 'x-kubernetes-group-version-kind');
        const v = parseYaml(g!.value.yaml) as J;
        if (v.group !== gvk.group || v.version !== gvk.version || v.kind !== gvk.kind) continue;
        return (op.parameters as J[]).some((p) => p.parameter?.non_body_parameter?.query_parameter_sub_schema?.name === 'fieldValidation');
      }
      return false;
    };
    for (const r of [...allResources, ...createOnlyKinds] as Array<Pick<ResourceInfo, 'group' | 'version' | 'kind'>>) assert.ok(supports(r), r.kind);
  });
});
