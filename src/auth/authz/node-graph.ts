/**
 * The Node authorizer's relationships (upstream plugin/pkg/auth/authorizer/node graph.go and
 * graph_populator.go, reduced to what pods reference): for every pod bound to a node
 * (spec.nodeName set), edges node <- pod <- {secret, configmap, persistentvolumeclaim,
 * serviceaccount}. Unscheduled pods add nothing. `hasPath` answers in O(pods referencing the
 * object); the graph follows a pods watch cache (feedNodeGraph), so a pod bound through the server
 * governs the next request.
 */
import type { KubeObject } from '../../api/meta.js';
import type { WatchCache } from '../../registry/watch-cache.js';
import { podReferences, type PodReferenceType } from '../../api/pod-references.js';

export type VertexType = 'pod' | PodReferenceType;

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const vertexKey = (type: VertexType, namespace: string, name: string) => `${type}/${namespace}/${name}`;

export class NodeGraph {
  /** Vertex → (pod key → node name) of the bound pods that reach it. */
  private readonly edges = new Map<string, Map<string, string>>();
  /** Pod key → the vertices it added. */
  private readonly podVertices = new Map<string, string[]>();
  /** Node name → number of bound pods (a node vertex exists while this is > 0). */
  private readonly nodes = new Map<string, number>();

  /** Adds or replaces a pod's edges (none when it is not bound to a node). */
  upsertPod(pod: KubeObject): void {
    const namespace = pod.metadata.namespace ?? '';
    const name = pod.metadata.name ?? '';
    const podKey = `${namespace}/${name}`;
    this.removeKey(podKey);
    const nodeName = str(obj(pod.spec).nodeName);
    if (!nodeName) return;
    const vertices = [vertexKey('pod', namespace, name), ...podReferences(pod).map(([t, n]) => vertexKey(t, namespace, n))];
    for (const v of vertices) {
      let m = this.edges.get(v);
      if (!m) this.edges.set(v, (m = new Map()));
      m.set(podKey, nodeName);
    }
    this.podVertices.set(podKey, vertices);
    this.nodes.set(nodeName, (this.nodes.get(nodeName) ?? 0) + 1);
  }

  removePod(pod: KubeObject): void {
    this.removeKey(`${pod.metadata.namespace ?? ''}/${pod.metadata.name ?? ''}`);
  }

  private removeKey(podKey: string): void {
    const vertices = this.podVertices.get(podKey);
    if (!vertices) return;
    let nodeName = '';
    for (const v of vertices) {
      const m = this.edges.get(v);
      if (!m) continue;
      nodeName ||= m.get(podKey) ?? '';
      m.delete(podKey);
      if (m.size === 0) this.edges.delete(v);
    }
    this.podVertices.delete(podKey);
    const n = (this.nodes.get(nodeName) ?? 1) - 1;
    if (n > 0) this.nodes.set(nodeName, n);
    else this.nodes.delete(nodeName);
  }

  /** Whether some pod bound to `nodeName` is, or references, the object. */
  hasPath(nodeName: string, type: VertexType, namespace: string, name: string): boolean {
    if (!this.nodes.has(nodeName)) return false;
    const m = this.edges.get(vertexKey(type, namespace, name));
    if (!m) return false;
    for (const n of m.values()) if (n === nodeName) return true;
    return false;
  }

  get podCount(): number {
    return this.podVertices.size;
  }
}

/**
 * Fills `graph` from a started pods watch cache and follows it; returns a stop function.
 * `onError` is told when the cache can no longer feed the graph (the authorizer then refuses).
 */
export function feedNodeGraph(cache: WatchCache, graph: NodeGraph, onError: (message: string) => void): () => void {
  for (const e of cache.list('')) graph.upsertPod(e.object);
  const stop = cache.watch(cache.revision, {
    onEvent(ev) {
      if (ev.type === 'DELETED') graph.removePod(ev.prevObject ?? ev.object);
      else graph.upsertPod(ev.object);
    },
    onError,
  });
  if (stop === 'expired') throw new Error('node graph: watch cache window expired at start');
  return stop;
}
