/**
 * `kubectl get events` columns and cells (upstream printers.go printEvent, always wide on the
 * server): Last Seen, Type, Reason, Object, Subobject, Source, Message, First Seen, Count, Name.
 */
import type { TableConvertor } from '../types.js';
import { translateTimestampSince } from '../../api/validation/duration.js';
import { asObject, str } from '../common.js';
import { column, objectMetaNameDoc } from '../table-columns.js';

const fieldPathDoc =
  'If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: "spec.containers{name}" (where "name" refers to the name of the container that triggered the event) or if no container name is specified "spec.containers[2]" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.';

/** formatEventSource: component (or reportingComponent), then `, host` (or reportingInstance) if any. */
export function formatEventSource(source: unknown, reportingComponent: string, reportingInstance: string): string {
  const s = asObject(source);
  const component = str(s.component) || reportingComponent;
  const instance = str(s.host) || reportingInstance;
  return instance ? `${component}, ${instance}` : component;
}

export const eventTable: TableConvertor = {
  columns: [
    column('Last Seen', 'string', 'The time at which the most recent occurrence of this event was recorded.'),
    column('Type', 'string', 'Type of this event (Normal, Warning), new types could be added in the future'),
    column('Reason', 'string', "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
    column('Object', 'string', 'The object that this event is about.'),
    column('Subobject', 'string', fieldPathDoc, { priority: 1 }),
    column('Source', 'string', 'The component reporting this event. Should be a short machine understandable string.', { priority: 1 }),
    column('Message', 'string', 'A human-readable description of the status of this operation.'),
    column('First Seen', 'string', 'The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)', { priority: 1 }),
    column('Count', 'string', 'The number of times this event has occurred.', { priority: 1 }),
    column('Name', 'string', objectMetaNameDoc, { priority: 1, format: 'name' }),
  ],
  cells(ev, now) {
    const firstTimestamp = str(ev.firstTimestamp)
      ? translateTimestampSince(ev.firstTimestamp, now)
      : translateTimestampSince(ev.eventTime, now);
    let lastTimestamp = str(ev.lastTimestamp) ? translateTimestampSince(ev.lastTimestamp, now) : firstTimestamp;
    let count = typeof ev.count === 'number' ? ev.count : 0;
    if (ev.series !== undefined && ev.series !== null) {
      const series = asObject(ev.series);
      lastTimestamp = translateTimestampSince(series.lastObservedTime, now);
      count = typeof series.count === 'number' ? series.count : 0;
    } else if (count === 0) {
      count = 1;
    }
    const involved = asObject(ev.involvedObject);
    const kind = str(involved.kind).toLowerCase();
    const target = str(involved.name) ? `${kind}/${str(involved.name)}` : kind;
    return [
      lastTimestamp,
      str(ev.type),
      str(ev.reason),
      target,
      str(involved.fieldPath),
      formatEventSource(ev.source, str(ev.reportingComponent), str(ev.reportingInstance)),
      str(ev.message).trim(),
      firstTimestamp,
      count,
      ev.metadata.name ?? '',
    ];
  },
};
