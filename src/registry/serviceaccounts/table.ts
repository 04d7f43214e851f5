/** `kubectl get serviceaccounts` columns (upstream printers.go printServiceAccount). */
import type { TableConvertor } from '../types.js';
import { asArray } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** apiv1.ServiceAccount{}.SwaggerDoc()["secrets"] (1.32 text). */
const secretsDoc =
  'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a "kubernetes.io/enforce-mountable-secrets" annotation set to "true". The "kubernetes.io/enforce-mountable-secrets" annotation is deprecated since v1.32. Prefer separate namespaces to isolate access to mounted secrets. This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret';

/** Name, Secrets (number of entries in `secrets`), Age. */
export const serviceAccountTable: TableConvertor = {
  columns: [nameColumn(), column('Secrets', 'string', secretsDoc), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', asArray(obj.secrets).length, ageCell(obj, now)],
};
