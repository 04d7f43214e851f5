/** `kubectl get configmaps` columns (upstream printers.go printConfigMap). */
import type { TableConvertor } from '../types.js';
import { asObject } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** apiv1.ConfigMap{}.SwaggerDoc()["data"]. */
const dataDoc =
  "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.";

/** Name, Data (keys in `data` plus keys in `binaryData`), Age. */
export const configMapTable: TableConvertor = {
  columns: [nameColumn(), column('Data', 'string', dataDoc), ageColumn()],
  cells: (obj, now) => [
    obj.metadata.name ?? '',
    Object.keys(asObject(obj.data)).length + Object.keys(asObject(obj.binaryData)).length,
    ageCell(obj, now),
  ],
};
