/**
 * Pod defaulting as the v1 API applies it on every write (upstream pkg/apis/core/v1/defaults.go):
 * restartPolicy, dnsPolicy, schedulerName, terminationGracePeriodSeconds, securityContext,
 * enableServiceLinks, container imagePullPolicy / terminationMessage*, port protocols, volume
 * defaultModes, serviceAccountToken expirationSeconds, downward API fieldRef apiVersion.
 * Also keeps spec.serviceAccount equal to spec.serviceAccountName.
 */
import type { KubeObject } from '../../api/meta.js';
import { asArray, asObject, str, type Json } from '../common.js';

function defaultContainer(c: Json): void {
  const image = str(c.image);
  if (c.imagePullPolicy === undefined) {
    const last = image.split('/').pop() ?? '';
    const tag = last.includes('@') ? 'digest' : last.includes(':') ? last.slice(last.indexOf(':') + 1) : '';
    c.imagePullPolicy = tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
  }
  if (c.terminationMessagePath === undefined) c.terminationMessagePath = '/dev/termination-log';
  if (c.terminationMessagePolicy === undefined) c.terminationMessagePolicy = 'File';
  if (c.resources === undefined) c.resources = {};
  for (const p of asArray(c.ports)) {
    const port = asObject(p);
    if (port.protocol === undefined) port.protocol = 'TCP';
  }
  for (const e of asArray(c.env)) {
    const fieldRef = asObject(asObject(asObject(e).valueFrom).fieldRef);
    if (Object.keys(fieldRef).length && fieldRef.apiVersion === undefined) fieldRef.apiVersion = 'v1';
  }
}

function defaultDownwardItems(items: unknown): void {
  for (const it of asArray(items)) {
    const fieldRef = asObject(asObject(it).fieldRef);
    if (Object.keys(fieldRef).length && fieldRef.apiVersion === undefined) fieldRef.apiVersion = 'v1';
  }
}

function defaultVolume(v: Json): void {
  if (v.secret && typeof v.secret === 'object') {
    const s = v.secret as Json;
    if (s.defaultMode === undefined) s.defaultMode = 420;
  }
  if (v.configMap && typeof v.configMap === 'object') {
    const s = v.configMap as Json;
    if (s.defaultMode === undefined) s.defaultMode = 420;
  }
  if (v.downwardAPI && typeof v.downwardAPI === 'object') {
    const s = v.downwardAPI as Json;
    if (s.defaultMode === undefined) s.defaultMode = 420;
    defaultDownwardItems(s.items);
  }
  if (v.projected && typeof v.projected === 'object') {
    const p = v.projected as Json;
    if (p.defaultMode === undefined) p.defaultMode = 420;
    for (const src of asArray(p.sources)) {
      const s = asObject(src);
      if (s.serviceAccountToken && typeof s.serviceAccountToken === 'object') {
        const t = s.serviceAccountToken as Json;
        if (t.expirationSeconds === undefined) t.expirationSeconds = 3600;
      }
      if (s.downwardAPI && typeof s.downwardAPI === 'object') defaultDownwardItems((s.downwardAPI as Json).items);
    }
  }
  if (v.emptyDir && typeof v.emptyDir === 'object') {
    // no defaults
  }
}

export function applyPodDefaults(pod: KubeObject): void {
  const spec = asObject(pod.spec);
  pod.spec = spec;
  if (spec.restartPolicy === undefined) spec.restartPolicy = 'Always';
  if (spec.dnsPolicy === undefined) spec.dnsPolicy = 'ClusterFirst';
  if (spec.schedulerName === undefined) spec.schedulerName = 'default-scheduler';
  if (spec.terminationGracePeriodSeconds === undefined) spec.terminationGracePeriodSeconds = 30;
  if (spec.securityContext === undefined) spec.securityContext = {};
  if (spec.enableServiceLinks === undefined) spec.enableServiceLinks = true;
  if (spec.preemptionPolicy === undefined) spec.preemptionPolicy = 'PreemptLowerPriority';
  if (spec.priority === undefined) spec.priority = 0;
  for (const c of asArray(spec.containers)) if (c && typeof c === 'object') defaultContainer(c as Json);
  for (const c of asArray(spec.initContainers)) if (c && typeof c === 'object') defaultContainer(c as Json);
  for (const c of asArray(spec.ephemeralContainers)) if (c && typeof c === 'object') defaultContainer(c as Json);
  for (const v of asArray(spec.volumes)) if (v && typeof v === 'object') defaultVolume(v as Json);
  // serviceAccount is a deprecated alias: input falls back to it, output always mirrors serviceAccountName.
  if (!spec.serviceAccountName && typeof spec.serviceAccount === 'string' && spec.serviceAccount) {
    spec.serviceAccountName = spec.serviceAccount;
  }
  if (typeof spec.serviceAccountName === 'string' && spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else delete spec.serviceAccount;
}

/** QoS class from container resources (upstream qos.GetPodQOS, simplified to requests/limits presence). */
export function podQOSClass(pod: KubeObject): string {
  const containers = [...asArray(asObject(pod.spec).containers), ...asArray(asObject(pod.spec).initContainers)];
  let any = false;
  let guaranteed = true;
  for (const c of containers) {
    const r = asObject(asObject(c).resources);
    const req = asObject(r.requests);
    const lim = asObject(r.limits);
    if (Object.keys(req).length || Object.keys(lim).length) any = true;
    for (const res of ['cpu', 'memory']) {
      if (lim[res] === undefined) guaranteed = false;
      else if (req[res] !== undefined && req[res] !== lim[res]) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
