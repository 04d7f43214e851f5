/**
 * WATCH: a chunked stream of `{"type":...,"object":...}\n` events (JSON, or Table rows when the
 * client asked for Table: column definitions in the first event only), BOOKMARKs when allowed,
 * ERROR events for expired versions, and a clean end after timeoutSeconds or client disconnect.
 */
import type { KubeObject } from '../../api/meta.js';
import { groupVersion } from '../../api/resources.js';
import { badRequest, type StatusError } from '../../api/status.js';
import { parseBool } from '../../api/meta.js';
import { buildTable } from '../responses.js';
import { includeObjectOf } from './read.js';
import type { Scope } from './scope.js';

const bookmarkIntervalMs = 60_000;
const closeEvent = Buffer.from('}\n');

export function handleWatch(scope: Scope): void {
  const { res, store, info, query, output, api, resource } = scope;
  const timeoutText = query.get('timeoutSeconds');
  let timeoutSeconds: number;
  if (timeoutText !== null && timeoutText !== '') {
    if (!/^\d+$/.test(timeoutText)) throw badRequest(`timeoutSeconds: Invalid value: "${timeoutText}": must be a non-negative integer`);
    timeoutSeconds = Number(timeoutText);
  } else {
    timeoutSeconds = Math.floor(api.minRequestTimeoutSeconds * (1 + Math.random()));
  }
  const allowBookmarks = parseBool(query.get('allowWatchBookmarks')) === true;
  const sendInitialEvents = parseBool(query.get('sendInitialEvents'));
  if (sendInitialEvents !== undefined && query.get('resourceVersionMatch') !== 'NotOlderThan') {
    throw badRequest('sendInitialEvents is forbidden unless resourceVersionMatch is NotOlderThan');
  }
  if (info.name) {
    // Watch of a single object: a field selector on its name.
    const fs = query.get('fieldSelector');
    query.set('fieldSelector', fs ? `${fs},metadata.name=${info.name}` : `metadata.name=${info.name}`);
  }
  const include = output.kind === 'table' ? includeObjectOf(query) : 'Metadata';
  // Validate selectors before the stream starts so a bad selector is a plain 400.
  store.compile(query.get('labelSelector') ?? undefined, query.get('fieldSelector') ?? undefined);

  res.statusCode = 200;
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Cache-Control', 'no-cache, private');
  res.setHeader('Transfer-Encoding', 'chunked');
  res.flushHeaders();
  let firstTable = true;
  let lastRv = '';
  let closed = false;

  const write = (line: string | Buffer) => {
    if (closed) return;
    if (typeof line === 'string') res.write(line + '\n');
    else res.write(line);
  };
  const encode = (type: string, object: KubeObject, raw: Buffer): string | Buffer => {
    lastRv = object.metadata.resourceVersion ?? lastRv;
    if (output.kind === 'table') {
      const t = buildTable(store.strategy.table, [object], { resourceVersion: object.metadata.resourceVersion }, api.now(), include, output.version, firstTable);
      firstTable = false;
      return `{"type":"${type}","object":${JSON.stringify(t)}}`;
    }
    return Buffer.concat([Buffer.from(`{"type":"${type}","object":`), raw, closeEvent]);
  };
  const bookmark = () => {
    if (!lastRv) lastRv = String(store.cache.revision);
    const obj = { kind: resource.kind, apiVersion: groupVersion(resource), metadata: { resourceVersion: String(Math.max(Number(lastRv), store.cache.revision)) } };
    write(JSON.stringify({ type: 'BOOKMARK', object: obj }));
  };

  let stopWatch: () => void = () => {};
  const finish = () => {
    if (closed) return;
    closed = true;
    clearTimeout(timer);
    clearInterval(bookmarks);
    stopWatch();
    api.watches.delete(finish);
    res.end();
  };
  api.watches.add(finish);
  const timer = setTimeout(finish, timeoutSeconds * 1000);
  const bookmarks = allowBookmarks ? setInterval(bookmark, bookmarkIntervalMs) : undefined;
  res.on('close', finish);
  res.on('error', finish);

  stopWatch = store.watch(
    info.namespace,
    {
      labelSelector: query.get('labelSelector') ?? undefined,
      fieldSelector: query.get('fieldSelector') ?? undefined,
      resourceVersion: query.get('resourceVersion') ?? undefined,
      sendInitialEvents,
    },
    {
      event: (type, object, raw) => write(encode(type, object, raw)),
      initialEventsEnd: (rv) => {
        lastRv = rv;
        if (allowBookmarks && sendInitialEvents) {
          const obj = { kind: resource.kind, apiVersion: groupVersion(resource), metadata: { resourceVersion: rv, annotations: { 'k8s.io/initial-events-end': 'true' } } };
          write(JSON.stringify({ type: 'BOOKMARK', object: obj }));
        }
      },
      error: (status: StatusError) => {
        write(JSON.stringify({ type: 'ERROR', object: status.status }));
        finish();
      },
    },
  );
  if (timeoutSeconds === 0) finish();
}
