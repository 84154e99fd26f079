import { html } from '../html.ts';
import type { Graph } from '../graph.ts';

const W = 150;
const H = 40;
const GAP_X = 30;
const GAP_Y = 36;

/** Colours of task states; tasks not reached yet stay plain. */
const FILL: Record<string, string> = { RUNNING: '#fde68a', SUCCEEDED: '#bbf7d0', FAILED: '#fecaca', TIMED_OUT: '#fed7aa' };

/** The graph as SVG, one layer a row; each task coloured by its state in `status` when given. */
export function GraphView(props: { graph: Graph; status?: Readonly<Record<string, string>>; onSelect?: (task: string) => void }) {
  const { graph, status = {} } = props;
  const width = graph.columns * (W + GAP_X) + GAP_X;
  const height = graph.layers * (H + GAP_Y) + GAP_Y;
  const at = new Map(graph.nodes.map((n) => [n.id, { x: GAP_X + n.column * (W + GAP_X), y: GAP_Y / 2 + n.layer * (H + GAP_Y) }]));
  return html`<svg class="graph" width=${width} height=${height} viewBox=${`0 0 ${width} ${height}`} role="img" aria-label="workflow graph">
    <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#64748b" /></marker></defs>
    ${graph.edges.map((e) => {
      const a = at.get(e.from);
      const b = at.get(e.to);
      if (!a || !b) return null;
      return html`<line x1=${a.x + W / 2} y1=${a.y + H} x2=${b.x + W / 2} y2=${b.y} stroke="#64748b" stroke-dasharray=${e.dashed ? '4 3' : ''} marker-end="url(#arrow)" />`;
    })}
    ${graph.nodes.map((n) => {
      const p = at.get(n.id)!;
      const state = status[n.name];
      return html`<g class="node" data-task=${n.name} data-status=${state ?? 'NOT_STARTED'} onClick=${() => props.onSelect?.(n.name)} style="cursor:pointer">
        <rect x=${p.x} y=${p.y} width=${W} height=${H} rx="6" fill=${FILL[state ?? ''] ?? '#f8fafc'} stroke="#334155" />
        <text x=${p.x + W / 2} y=${p.y + H / 2 + 5} text-anchor="middle" font-size="13">${n.name}</text>
      </g>`;
    })}
  </svg>`;
}
