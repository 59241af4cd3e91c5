import type { ParsedHeapSnapshot } from './reader.ts';

/**
 * Where each field sits in the flat node and edge arrays, as the snapshot's meta declares: node
 * `i`'s type is `nodes[i * nodeSize + typeAt]`, an edge's target node is `edges[e * edgeSize +
 * toNodeAt] / nodeSize`. The one place that reads the layout; every walk over a snapshot uses it.
 */
export interface FieldLayout {
  /** Fields per node. */
  readonly nodeSize: number;
  /** Fields per edge. */
  readonly edgeSize: number;
  readonly typeAt: number;
  readonly nameAt: number;
  readonly edgeCountAt: number;
  readonly edgeTypeAt: number;
  readonly edgeNameAt: number;
  /** An index into `nodes` (a multiple of `nodeSize`), not a node number. */
  readonly toNodeAt: number;
}

export function fieldLayout(snapshot: ParsedHeapSnapshot): FieldLayout {
  return {
    nodeSize: snapshot.nodeFields.length,
    edgeSize: snapshot.edgeFields.length,
    typeAt: snapshot.nodeFields.indexOf('type'),
    nameAt: snapshot.nodeFields.indexOf('name'),
    edgeCountAt: snapshot.nodeFields.indexOf('edge_count'),
    edgeTypeAt: snapshot.edgeFields.indexOf('type'),
    edgeNameAt: snapshot.edgeFields.indexOf('name_or_index'),
    toNodeAt: snapshot.edgeFields.indexOf('to_node'),
  };
}
