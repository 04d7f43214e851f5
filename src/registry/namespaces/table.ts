/** `kubectl get namespaces` columns (upstream printers.go printNamespace). */
import type { TableConvertor } from '../types.js';
import { asObject, str } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** Name, Status (status.phase), Age. */
export const namespaceTable: TableConvertor = {
  columns: [nameColumn(), column('Status', 'string', 'The status of the namespace'), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', str(asObject(obj.status).phase), ageCell(obj, now)],
};
