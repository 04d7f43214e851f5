/** `kubectl get secrets` columns (upstream printers.go printSecret). */
import type { TableConvertor } from '../types.js';
import { asObject, str } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** apiv1.Secret{}.SwaggerDoc()["type"]. */
const typeDoc =
  'Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types';
/** apiv1.Secret{}.SwaggerDoc()["data"]. */
const dataDoc =
  "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4";

/** Name, Type, Data (number of keys in `data`), Age. */
export const secretTable: TableConvertor = {
  columns: [nameColumn(), column('Type', 'string', typeDoc), column('Data', 'string', dataDoc), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', str(obj.type), Object.keys(asObject(obj.data)).length, ageCell(obj, now)],
};
