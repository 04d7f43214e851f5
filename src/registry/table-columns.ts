/**
 * Pieces shared by the per-resource TableConvertors: column builders and the descriptions that
 * upstream printers take from metav1.ObjectMeta's swagger docs (text as compiled into 1.32).
 */
import type { KubeObject, TableColumnDefinition } from '../api/meta.js';
import { translateTimestampSince } from '../api/validation/duration.js';
import { asObject, str } from './common.js';

/** metav1.ObjectMeta{}.SwaggerDoc()["name"]. */
export const objectMetaNameDoc =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

/** metav1.ObjectMeta{}.SwaggerDoc()["creationTimestamp"]. */
export const objectMetaCreationTimestampDoc =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

/** A column definition; format defaults to "" and priority to 0 as in upstream's literals. */
export function column(
  name: string,
  type: TableColumnDefinition['type'],
  description: string,
  extra: { format?: string; priority?: number } = {},
): TableColumnDefinition {
  return { name, type, format: extra.format ?? '', description, priority: extra.priority ?? 0 };
}

/** The `Name` column every resource starts with. */
export const nameColumn = (): TableColumnDefinition => column('Name', 'string', objectMetaNameDoc, { format: 'name' });

/** The `Age` column. */
export const ageColumn = (): TableColumnDefinition => column('Age', 'string', objectMetaCreationTimestampDoc);

/** The AGE cell: humanDuration(now - creationTimestamp), "<unknown>" without a timestamp. */
export const ageCell = (obj: KubeObject, now: number): string => translateTimestampSince(obj.metadata?.creationTimestamp, now);

/** labels.FormatLabels: sorted `k=v` joined by `,`, or "<none>". */
export function formatLabels(labels: unknown): string {
  const map = asObject(labels);
  const keys = Object.keys(map).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${str(map[k])}`).join(',');
}
