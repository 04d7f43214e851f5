/**
 * Discovery documents: legacy (/api, /apis, /api/v1, /apis/G/V) and aggregated
 * (apidiscovery.k8s.io v2 and v2beta1, negotiated by Accept), built from the resource table.
 */
import { createHash } from 'node:crypto';
import { groupVersion, type ResourceInfo } from '../api/resources.js';

export interface GroupVersions {
  group: string;
  /** Preferred first. */
  versions: string[];
}

function storageVersionHash(r: ResourceInfo): string {
  return createHash('sha256').update(`${r.group}/${r.version}/${r.kind}`).digest().subarray(0, 8).toString('base64');
}

export function groupsOf(resources: ResourceInfo[]): GroupVersions[] {
  const out: GroupVersions[] = [];
  for (const r of resources) {
    let g = out.find((x) => x.group === r.group);
    if (!g) out.push((g = { group: r.group, versions: [] }));
    if (!g.versions.includes(r.version)) g.versions.push(r.version);
  }
  return out;
}

export function apiVersions(serverAddress: string): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

export function apiGroupList(resources: ResourceInfo[]): object {
  const groups = groupsOf(resources)
    .filter((g) => g.group !== '')
    .map((g) => ({
      name: g.group,
      versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
      preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
    }));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

export function apiGroup(resources: ResourceInfo[], group: string): object | undefined {
  const g = groupsOf(resources).find((x) => x.group === group && group !== '');
  if (!g) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: g.group,
    versions: g.versions.map((v) => ({ groupVersion: `${g.group}/${v}`, version: v })),
    preferredVersion: { groupVersion: `${g.group}/${g.versions[0]}`, version: g.versions[0] },
  };
}

export function apiResourceList(resources: ResourceInfo[], group: string, version: string): object | undefined {
  const rs = resources.filter((r) => r.group === group && r.version === version);
  if (!rs.length) return undefined;
  const out: object[] = [];
  for (const r of rs) {
    const entry: Record<string, unknown> = {
      name: r.resource,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: r.verbs,
    };
    if (r.shortNames?.length) entry.shortNames = r.shortNames;
    if (r.categories?.length) entry.categories = r.categories;
    if (r.verbs.length) entry.storageVersionHash = storageVersionHash(r);
    out.push(entry);
    for (const s of r.subresources ?? []) {
      const sub: Record<string, unknown> = { name: `${r.resource}/${s.name}`, singularName: '', namespaced: r.namespaced };
      if (s.group !== undefined) sub.group = s.group;
      if (s.version !== undefined) sub.version = s.version;
      sub.kind = s.kind;
      sub.verbs = s.verbs;
      out.push(sub);
    }
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion({ group, version }), resources: out };
}

function discoveryResource(r: ResourceInfo): object {
  const d: Record<string, unknown> = {
    resource: r.resource,
    responseKind: { group: r.group, version: r.version, kind: r.kind },
    scope: r.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: r.singular,
    verbs: r.verbs,
  };
  if (r.shortNames?.length) d.shortNames = r.shortNames;
  if (r.categories?.length) d.categories = r.categories;
  if (r.subresources?.length) {
    d.subresources = r.subresources.map((s) => ({
      subresource: s.name,
      responseKind: { group: s.group ?? r.group, version: s.version ?? r.version, kind: s.kind },
      verbs: s.verbs,
    }));
  }
  return d;
}

/** The aggregated discovery list for /api (core=true) or /apis. */
export function aggregatedDiscovery(resources: ResourceInfo[], core: boolean, version: 'v2' | 'v2beta1'): object {
  const items = groupsOf(resources)
    .filter((g) => (core ? g.group === '' : g.group !== ''))
    .map((g) => ({
      metadata: core ? { creationTimestamp: null } : { name: g.group, creationTimestamp: null },
      versions: g.versions.map((v) => ({
        version: v,
        resources: resources.filter((r) => r.group === g.group && r.version === v).map(discoveryResource),
        freshness: 'Current',
      })),
    }));
  return { kind: 'APIGroupDiscoveryList', apiVersion: `apidiscovery.k8s.io/${version}`, metadata: {}, items };
}

export const aggregatedContentType = (version: 'v2' | 'v2beta1') =>
  `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
