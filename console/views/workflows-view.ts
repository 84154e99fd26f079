import { useEffect, useState } from 'preact/hooks';
import type { Api, ExecutionView } from '../api.ts';
import { parseMermaid } from '../graph.ts';
import { html } from '../html.ts';
import { GraphView } from './graph-view.ts';

const STATUSES = ['', 'RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED'];

/** Every workflow, with its graph and a link to its executions. */
export function WorkflowsView(props: { api: Api; graphs: Record<string, string> }) {
  const [workflows, setWorkflows] = useState<{ name: string; mode: string }[] | undefined>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    props.api.workflows().then((b) => setWorkflows(b.items), (e: Error) => setError(e.message));
  }, []);
  if (error) return html`<p class="error">${error}</p>`;
  if (!workflows) return html`<p>Loading…</p>`;
  return html`<section>
    <h2>Workflows</h2>
    <div class="cards">
      ${workflows.map((w) => html`<article class="card workflow" data-workflow=${w.name}>
        <h3><a href=${`#/workflows/${w.name}`}>${w.name}</a> <small>${w.mode}</small></h3>
        ${props.graphs[w.name] ? html`<${GraphView} graph=${parseMermaid(props.graphs[w.name])} />` : null}
      </article>`)}
    </div>
  </section>`;
}

/** One workflow: its graph, a start form and its executions filtered by status. */
export function WorkflowView(props: { api: Api; graphs: Record<string, string>; name: string }) {
  const { api, name } = props;
  const [status, setStatus] = useState('');
  const [executions, setExecutions] = useState<ExecutionView[]>([]);
  const [input, setInput] = useState('{}');
  const [message, setMessage] = useState<string>();
  const load = () => api.executions(name, status || undefined).then((b) => setExecutions(b.items), (e: Error) => setMessage(e.message));
  useEffect(() => {
    void load();
    const timer = setInterval(load, 1000);
    return () => clearInterval(timer);
  }, [name, status]);
  const start = async (event: Event) => {
    event.preventDefault();
    try {
      const { executionId } = await api.start(name, JSON.parse(input));
      location.hash = `#/workflows/${name}/executions/${executionId}`;
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return html`<section>
    <h2><a href="#/">Workflows</a> / ${name}</h2>
    ${props.graphs[name] ? html`<${GraphView} graph=${parseMermaid(props.graphs[name])} />` : null}
    <form class="start" onSubmit=${start}>
      <label>Input (JSON) <textarea name="input" rows="3" value=${input} onInput=${(e: Event) => setInput((e.target as HTMLTextAreaElement).value)} /></label>
      <button type="submit" id="start">Start execution</button>
    </form>
    ${message ? html`<p class="error">${message}</p>` : null}
    <h3>Executions
      <select id="status-filter" value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s || 'any status'}</option>`)}
      </select>
    </h3>
    <table class="executions">
      <thead><tr><th>execution</th><th>status</th><th>started</th><th>stopped</th></tr></thead>
      <tbody>${executions.map((e) => html`<tr>
        <td><a href=${`#/workflows/${name}/executions/${e.executionId}`}>${e.executionId}</a></td>
        <td><span class=${`status ${e.status}`}>${e.status}</span></td><td>${e.startDate}</td><td>${e.stopDate ?? ''}</td>
      </tr>`)}</tbody>
    </table>
  </section>`;
}
