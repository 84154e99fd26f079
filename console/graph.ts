/** A workflow graph read from the Mermaid flowchart `core/compiler/mermaid.ts` writes, laid out in layers. */
export interface GraphNode {
  readonly id: string;
  readonly name: string;
  readonly layer: number;
  readonly column: number;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** Fallback and serialising edges are dashed. */
  readonly dashed: boolean;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly layers: number;
  readonly columns: number;
}

const NODE = /^\s*(t_[\w-]+)\[{1,2}"([^"<]*)/;
const EDGE = /^\s*(t_[\w-]+)\s+(-->|-\.[^>]*\.->|-\.->(?:\|[^|]*\|)?)\s*(t_[\w-]+)/;

/** Nodes in the order declared; each on the layer after the deepest task it depends on. */
export function parseMermaid(text: string): Graph {
  const names = new Map<string, string>();
  const edges: GraphEdge[] = [];
  for (const line of text.split('\n')) {
    const edge = EDGE.exec(line);
    if (edge) {
      edges.push({ from: edge[1], to: edge[3], dashed: edge[2] !== '-->' });
      continue;
    }
    const node = NODE.exec(line);
    if (node) names.set(node[1], node[2].trim());
  }
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    if (depth.has(id)) return depth.get(id)!;
    if (seen.has(id)) return 0;
    seen.add(id);
    const parents = edges.filter((e) => e.to === id && !e.dashed).map((e) => depthOf(e.from, seen) + 1);
    const fallbackOf = edges.filter((e) => e.to === id && e.dashed && e.from !== id).map((e) => depthOf(e.from, seen) + 1);
    const value = Math.max(0, ...parents, ...fallbackOf);
    depth.set(id, value);
    return value;
  };
  const columns = new Map<number, number>();
  const nodes = [...names].map(([id, name]): GraphNode => {
    const layer = depthOf(id, new Set());
    const column = columns.get(layer) ?? 0;
    columns.set(layer, column + 1);
    return { id, name, layer, column };
  });
  return { nodes, edges, layers: Math.max(0, ...nodes.map((n) => n.layer + 1)), columns: Math.max(1, ...columns.values()) };
}
