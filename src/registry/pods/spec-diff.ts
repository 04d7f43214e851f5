/**
 * A short rendering of what changed between two PodSpecs, in the shape of the go-cmp diff that
 * upstream appends to "pod updates may not change fields other than ...": changed fields are
 * listed with `-`/`+` markers and Go field names, unchanged runs are elided.
 */
import { semanticEqual } from '../../api/validation/helpers.js';
import { asObject, type Json } from '../common.js';

/** PodSpec fields in upstream (core.PodSpec) order; others follow alphabetically. */
const fieldOrder = [
  'volumes', 'initContainers', 'containers', 'ephemeralContainers', 'restartPolicy', 'terminationGracePeriodSeconds',
  'activeDeadlineSeconds', 'dnsPolicy', 'nodeSelector', 'serviceAccountName', 'automountServiceAccountToken', 'nodeName',
  'hostNetwork', 'hostPID', 'hostIPC', 'shareProcessNamespace', 'securityContext', 'imagePullSecrets', 'hostname',
  'subdomain', 'setHostnameAsFQDN', 'affinity', 'schedulerName', 'tolerations', 'hostAliases', 'priorityClassName',
  'priority', 'preemptionPolicy', 'dnsConfig', 'readinessGates', 'runtimeClassName', 'overhead', 'enableServiceLinks',
  'topologySpreadConstraints', 'os', 'schedulingGates', 'resourceClaims', 'resources', 'hostUsers',
];
const goNames: Record<string, string> = {
  dnsPolicy: 'DNSPolicy',
  dnsConfig: 'DNSConfig',
  hostPID: 'HostPID',
  hostIPC: 'HostIPC',
  os: 'OS',
  setHostnameAsFQDN: 'SetHostnameAsFQDN',
};
const goName = (k: string): string => goNames[k] ?? k[0].toUpperCase() + k.slice(1);
const render = (v: unknown): string => (v === undefined || v === null ? 'nil' : JSON.stringify(v));

/** Fields compared; `serviceAccount` is omitted because it mirrors `serviceAccountName`. */
export function podSpecDiff(oldSpec: unknown, newSpec: unknown, ignore: string[] = ['serviceAccount']): string {
  const a: Json = asObject(oldSpec);
  const b: Json = asObject(newSpec);
  const extra = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !fieldOrder.includes(k)).sort();
  const keys = [...fieldOrder, ...extra].filter((k) => !ignore.includes(k));
  const lines = ['  core.PodSpec{'];
  let same = 0;
  const flush = () => {
    if (same > 0) lines.push(`  \t... // ${same} identical field${same === 1 ? '' : 's'}`);
    same = 0;
  };
  for (const k of keys) {
    if (semanticEqual(a[k], b[k])) {
      same++;
      continue;
    }
    flush();
    lines.push(`- \t${goName(k)}: ${render(a[k])},`, `+ \t${goName(k)}: ${render(b[k])},`);
  }
  flush();
  lines.push('  }');
  return lines.join('\n');
}
