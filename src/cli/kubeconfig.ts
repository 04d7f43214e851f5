/** Writing kubeconfig files (clientcmd v1 Config) for the admin and other client identities. */
import { stringify } from 'yaml';
import { writeFileAtomic } from '../auth/pki.js';

export interface KubeconfigOptions {
  server: string;
  caPem: string;
  clusterName?: string;
  userName?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  token?: string;
  namespace?: string;
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

export function renderKubeconfig(o: KubeconfigOptions): string {
  const cluster = o.clusterName ?? 'insignia';
  const user = o.userName ?? 'admin';
  const userEntry: Record<string, string> = {};
  if (o.clientCertPem) userEntry['client-certificate-data'] = b64(o.clientCertPem);
  if (o.clientKeyPem) userEntry['client-key-data'] = b64(o.clientKeyPem);
  if (o.token) userEntry.token = o.token;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: cluster, cluster: { server: o.server, 'certificate-authority-data': b64(o.caPem) } }],
    contexts: [{ name: `${user}@${cluster}`, context: { cluster, user, namespace: o.namespace ?? 'default' } }],
    'current-context': `${user}@${cluster}`,
    preferences: {},
    users: [{ name: user, user: userEntry }],
  });
}

/** Writes atomically (temp file + rename), mode 0600. */
export function writeKubeconfig(path: string, o: KubeconfigOptions): void {
  writeFileAtomic(path, renderKubeconfig(o), 0o600);
}
