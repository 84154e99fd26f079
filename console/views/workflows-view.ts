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

/** The executions whose name holds `name` and that started within [from, to] (datetime-local values, local time). */
export function filterExecutions(executions: readonly ExecutionView[], filter: { name: string; from: string; to: string }): ExecutionView[] {
  const from = filter.from ? new Date(filter.from).getTime() : -Infinity;
  const to = filter.to ? new Date(filter.to).getTime() : Infinity;
  const name = filter.name.trim().toLowerCase();
  return executions.filter((e) => {
    const started = new Date(e.startDate).getTime();
    return (!name || e.executionId.toLowerCase().includes(name)) && started >= from && started <= to;
  });
}

/** One workflow: its graph, a start form and its executions filtered by status, name and start time. */
export function WorkflowView(props: { api: Api; graphs: Record<string, string>; name: string }) {
  const { api, name } = props;
  const [status, setStatus] = useState('');
  const [filter, setFilter] = useState({ name: '', from: '', to: '' });
  const setField = (field: 'name' | 'from' | 'to') => (e: Event) => setFilter({ ...filter, [field]: (e.target as HTMLInputElement).value });
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
    <h3>Executions</h3>
    <div class="filters">
      <select id="status-filter" value=${status} onChange=${(e: Event) => setStatus((e.target as HTMLSelectElement).value)}>
        ${STATUSES.map((s) => html`<option value=${s}>${s || 'any status'}</option>`)}
      </select>
      <input id="name-filter" placeholder="name contains" value=${filter.name} onInput=${setField('name')} />
      <label>started from <input id="from-filter" type="datetime-local" step="1" value=${filter.from} onInput=${setField('from')} /></label>
      <label>to <input id="to-filter" type="datetime-local" step="1" value=${filter.to} onInput=${setField('to')} /></label>
    </div>
    <table class="executions">
      <thead><tr><th>execution</th><th>status</th><th>started</th><th>stopped</th></tr></thead>
      <tbody>${filterExecutions(executions, filter).map((e) => html`<tr>
        <td><a href=${`#/workflows/${name}/executions/${e.executionId}`}>${e.executionId}</a></td>
        <td><span class=${`status ${e.status}`}>${e.status}</span></td><td>${e.startDate}</td><td>${e.stopDate ?? ''}</td>
      </tr>`)}</tbody>
    </table>
  </section>`;
}
