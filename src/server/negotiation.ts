/**
 * Content negotiation: media types in Accept and Content-Type, the Table and aggregated
 * discovery forms, YAML output. Responses are JSON unless YAML is explicitly preferred; protobuf is
 * never produced (clients decode by the response Content-Type).
 */

export interface MediaType {
  type: string;
  params: Record<string, string>;
}

/** Parses one media type, lower-casing the type and parameter names. */
export function parseMediaType(s: string): MediaType {
  const [head, ...rest] = s.split(';');
  const params: Record<string, string> = {};
  for (const p of rest) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    params[p.slice(0, i).trim().toLowerCase()] = p.slice(i + 1).trim().replace(/^"|"$/g, '');
  }
  return { type: (head ?? '').trim().toLowerCase(), params };
}

/** Splits an Accept header into media types, in the client's order (q ignored except q=0). */
export function parseAccept(accept: string | undefined): MediaType[] {
  if (!accept) return [];
  return accept
    .split(',')
    .map((s) => parseMediaType(s))
    .filter((m) => m.type && m.params.q !== '0');
}

export type OutputFormat =
  | { kind: 'json' }
  | { kind: 'yaml' }
  | { kind: 'table'; version: 'v1' | 'v1beta1' }
  | { kind: 'partial'; version: 'v1' | 'v1beta1'; list: boolean };

const negotiated = new Map<string, OutputFormat | undefined>();
const json: OutputFormat = Object.freeze({ kind: 'json' });

/**
 * Chooses the response form for object/list requests: the first acceptable entry wins.
 * Returns undefined when nothing acceptable is offered (406). The answer is shared between
 * requests with the same Accept header (clients send a handful of distinct ones): do not mutate it.
 */
export function negotiateOutput(accept: string | undefined): OutputFormat | undefined {
  if (!accept) return json;
  if (negotiated.has(accept)) return negotiated.get(accept);
  const answer = chooseOutput(accept);
  if (negotiated.size >= 256) negotiated.clear();
  negotiated.set(accept, answer && Object.freeze(answer));
  return answer;
}

function chooseOutput(accept: string): OutputFormat | undefined {
  const types = parseAccept(accept);
  if (types.length === 0) return { kind: 'json' };
  for (const m of types) {
    const as = m.params.as;
    if (as) {
      if (m.params.g !== 'meta.k8s.io') continue;
      const version = m.params.v === 'v1beta1' ? 'v1beta1' : m.params.v === 'v1' ? 'v1' : undefined;
      if (!version) continue;
      if (as === 'Table' && (m.type === 'application/json' || m.type === '*/*')) return { kind: 'table', version };
      if ((as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') && m.type === 'application/json') {
        return { kind: 'partial', version, list: as === 'PartialObjectMetadataList' };
      }
      continue;
    }
    if (m.type === 'application/json' || m.type === 'application/*' || m.type === '*/*' || m.type === 'application/vnd.kubernetes.protobuf' || m.type === 'application/cbor') {
      return { kind: 'json' };
    }
    if (m.type === 'application/yaml' || m.type === 'text/yaml') return { kind: 'yaml' };
    if (m.type === 'application/json;stream=watch' || m.type === 'application/vnd.kubernetes.protobuf;stream=watch') return { kind: 'json' };
  }
  return undefined;
}

/** Which aggregated discovery version the client asked for, if any (v2 preferred in client order). */
export function negotiateDiscovery(accept: string | undefined): 'v2' | 'v2beta1' | undefined {
  for (const m of parseAccept(accept)) {
    if (m.params.g === 'apidiscovery.k8s.io' && m.params.as === 'APIGroupDiscoveryList' && m.type === 'application/json') {
      if (m.params.v === 'v2' || m.params.v === 'v2beta1') return m.params.v;
    }
    if (!m.params.as && (m.type === 'application/json' || m.type === '*/*' || m.type === 'application/*')) return undefined;
  }
  return undefined;
}
