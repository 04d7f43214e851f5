/**
 * The secret-reference rules of the ServiceAccount admission plugin (upstream
 * plugin/pkg/admission/serviceaccount: limitSecretReferences and
 * limitEphemeralContainerSecretReferences, and pkg/api/pod VisitPodSecretNames for mirror pods).
 * Each function returns the reason of the first violation (upstream's exact sentence, to be wrapped
 * in a 403 by the caller) or undefined.
 */
type Json = Record<string, unknown>;

const asObject = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isSet = (v: unknown): boolean => v !== undefined && v !== null;

/** Volume sources that name a secret, and where (VisitPodSecretNames' switch, in upstream's order). */
const volumeSecretName: Array<[string, (src: Json) => string[]]> = [
  ['azureFile', (s) => [str(s.secretName)]],
  ['cephfs', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['cinder', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['flexVolume', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['projected', (s) => asArray(s.sources).filter((p) => isSet(asObject(p).secret)).map((p) => str(asObject(asObject(p).secret).name))],
  ['rbd', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['secret', (s) => [str(s.secretName)]],
  ['scaleIO', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['iscsi', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['storageos', (s) => (isSet(s.secretRef) ? [str(asObject(s.secretRef).name)] : [])],
  ['csi', (s) => (isSet(s.nodePublishSecretRef) ? [str(asObject(s.nodePublishSecretRef).name)] : [])],
];

/** Secret names a container references through envFrom[].secretRef and env[].valueFrom.secretKeyRef. */
function containerSecretNames(c: Json): string[] {
  const names: string[] = [];
  for (const e of asArray(c.envFrom)) if (isSet(asObject(e).secretRef)) names.push(str(asObject(asObject(e).secretRef).name));
  for (const e of asArray(c.env)) {
    const ref = asObject(asObject(e).valueFrom).secretKeyRef;
    if (isSet(ref)) names.push(str(asObject(ref).name));
  }
  return names;
}

/**
 * Whether the pod spec names any secret (VisitPodSecretNames with all container kinds, empty names
 * skipped): image pull secrets, every container's env and envFrom, and the secret-bearing volume
 * sources (only the first source field set on a volume counts, like upstream's switch).
 */
export function podReferencesSecrets(spec: Json): boolean {
  const names: string[] = asArray(spec.imagePullSecrets).map((r) => str(asObject(r).name));
  for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
    for (const c of asArray(spec[list])) names.push(...containerSecretNames(asObject(c)));
  }
  for (const raw of asArray(spec.volumes)) {
    const v = asObject(raw);
    const hit = volumeSecretName.find(([field]) => isSet(v[field]));
    if (hit) names.push(...hit[1](asObject(v[hit[0]])));
  }
  return names.some((n) => n !== '');
}

const notReferenced = (sa: string) => `is not allowed because service account ${sa} does not reference that secret`;

/** The env and envFrom checks of one container; `label` is `container`, `init container` or `ephemeral container`. */
function checkContainer(label: string, c: Json, allowed: Set<string>, sa: string): string | undefined {
  const name = str(c.name);
  for (const e of asArray(c.env)) {
    const ref = asObject(asObject(e).valueFrom).secretKeyRef;
    if (!isSet(ref)) continue;
    const secret = str(asObject(ref).name);
    if (!allowed.has(secret)) {
      return `${label} ${name} with envVar ${str(asObject(e).name)} referencing secret.secretName="${secret}" ${notReferenced(sa)}`;
    }
  }
  for (const e of asArray(c.envFrom)) {
    const ref = asObject(e).secretRef;
    if (!isSet(ref)) continue;
    const secret = str(asObject(ref).name);
    if (!allowed.has(secret)) return `${label} ${name} with envFrom referencing secret.secretName="${secret}" ${notReferenced(sa)}`;
  }
  return undefined;
}

const namesOf = (refs: unknown): Set<string> => new Set(asArray(refs).map((r) => str(asObject(r).name)));

/**
 * limitSecretReferences: with mountable secrets enforced, secret volumes, init containers' then
 * containers' env/envFrom must name secrets listed in the account's `secrets`, and image pull
 * secrets must be listed in its `imagePullSecrets`. Projected secret sources are not checked.
 */
export function limitSecretReferences(serviceAccount: Json, spec: Json): string | undefined {
  const sa = str(asObject(serviceAccount.metadata).name);
  const mountable = namesOf(serviceAccount.secrets);
  for (const raw of asArray(spec.volumes)) {
    const secret = asObject(raw).secret;
    if (!isSet(secret)) continue;
    const name = str(asObject(secret).secretName);
    if (!mountable.has(name)) return `volume with secret.secretName="${name}" ${notReferenced(sa)}`;
  }
  for (const [list, label] of [['initContainers', 'init container'], ['containers', 'container']] as const) {
    for (const c of asArray(spec[list])) {
      const reason = checkContainer(label, asObject(c), mountable, sa);
      if (reason) return reason;
    }
  }
  const pullable = namesOf(serviceAccount.imagePullSecrets);
  const pulls = asArray(spec.imagePullSecrets);
  for (let i = 0; i < pulls.length; i++) {
    const name = str(asObject(pulls[i]).name);
    if (!pullable.has(name)) {
      return `imagePullSecrets[${i}].name="${name}" is not allowed because service account ${sa} does not reference that imagePullSecret`;
    }
  }
  return undefined;
}

/** limitEphemeralContainerSecretReferences: the env/envFrom checks for every ephemeral container. */
export function limitEphemeralContainerSecretReferences(serviceAccount: Json, spec: Json): string | undefined {
  const sa = str(asObject(serviceAccount.metadata).name);
  const mountable = namesOf(serviceAccount.secrets);
  for (const c of asArray(spec.ephemeralContainers)) {
    const reason = checkContainer('ephemeral container', asObject(c), mountable, sa);
    if (reason) return reason;
  }
  return undefined;
}
