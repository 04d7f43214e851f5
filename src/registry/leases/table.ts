/** `kubectl get leases` columns (upstream printers.go printLease): Name, Holder, Age. */
import type { TableConvertor } from '../types.js';
import { asObject, str } from '../common.js';
import { ageCell, ageColumn, column, nameColumn } from '../table-columns.js';

/** coordinationv1.LeaseSpec{}.SwaggerDoc()["holderIdentity"] (1.32). */
const holderDoc =
  'holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field.';

export const leaseTable: TableConvertor = {
  columns: [nameColumn(), column('Holder', 'string', holderDoc), ageColumn()],
  cells: (obj, now) => [obj.metadata.name ?? '', str(asObject(obj.spec).holderIdentity), ageCell(obj, now)],
};
