import { useEffect, useState } from 'preact/hooks';
import type { Api, ExecutionView as Execution, HistoryEventView, LogLine, TaskView } from '../api.ts';
import { parseMermaid } from '../graph.ts';
import { html } from '../html.ts';
import { GraphView } from './graph-view.ts';

interface Snapshot {
  readonly execution: Execution;
  readonly history: readonly HistoryEventView[];
  readonly logs: readonly LogLine[];
}

const json = (value: unknown) => (value === null || value === undefined ? '—' : JSON.stringify(value, null, 2));

/** One execution, refreshed every second while it runs: graph by task state, tasks, timeline, a task's data and logs. */
export function ExecutionView(props: { api: Api; graphs: Record<string, string>; workflow: string; id: string }) {
  const { api, workflow, id } = props;
  const [snapshot, setSnapshot] = useState<Snapshot>();
  const [selected, setSelected] = useState<string>();
  const [message, setMessage] = useState<string>();
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let live = true;
    const load = async () => {
      try {
        const [execution, history, logs] = await Promise.all([api.execution(workflow, id), api.history(workflow, id), api.logs(workflow, id)]);
        if (!live) return;
        setSnapshot({ execution, history, logs });
        if (execution.status === 'RUNNING') timer = setTimeout(load, 1000);
      } catch (e) {
        if (live) setMessage((e as Error).message);
        timer = setTimeout(load, 1000);
      }
    };
    void load();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [workflow, id]);
  if (!snapshot) return html`<p>${message ?? 'Loading…'}</p>`;
  const { execution, history, logs } = snapshot;
  const tasks = execution.tasks ?? [];
  const task = tasks.find((t) => t.name === selected);
  const cancel = async () => {
    try {
      await api.cancel(workflow, id);
      setMessage('cancellation requested');
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  return html`<section class="execution" data-status=${execution.status}>
    <h2><a href="#/">Workflows</a> / <a href=${`#/workflows/${workflow}`}>${workflow}</a> / ${id}</h2>
    <p>
      <span class=${`status ${execution.status}`} id="execution-status">${execution.status}</span>
      started ${execution.startDate}${execution.stopDate ? ` · stopped ${execution.stopDate}` : ''}
      ${execution.status === 'RUNNING' ? html` <button id="cancel" onClick=${cancel}>Cancel</button>` : null}
    </p>
    ${message ? html`<p class="note">${message}</p>` : null}
    ${execution.error ? html`<p class="error">${execution.error}: ${execution.cause}</p>` : null}
    ${props.graphs[workflow]
      ? html`<${GraphView} graph=${parseMermaid(props.graphs[workflow])} status=${Object.fromEntries(tasks.map((t) => [t.name, t.status]))} onSelect=${setSelected} />`
      : null}
    <h3>Tasks</h3>
    <table class="tasks">
      <thead><tr><th>task</th><th>status</th><th>attempts</th><th>started</th><th>ended</th><th>error</th></tr></thead>
      <tbody>${tasks.map((t) => html`<tr class=${t.name === selected ? 'selected' : ''} data-task=${t.name} onClick=${() => setSelected(t.name)}>
        <td><a href="javascript:void 0">${t.name}</a></td><td><span class=${`status ${t.status}`}>${t.status}</span></td><td>${t.attempts}</td>
        <td>${t.startDate}</td><td>${t.stopDate ?? ''}</td><td>${t.error ?? ''}</td>
      </tr>`)}</tbody>
    </table>
    ${task ? html`<${TaskDetails} task=${task} logs=${logs.filter((l) => l.task === task.name)} />` : null}
    <h3>Timeline</h3>
    <${Timeline} events=${history} />
    <h3>Execution input and output</h3>
    <div class="io"><pre>${json(execution.input)}</pre><pre>${json(execution.output)}</pre></div>
    <h3>Logs</h3>
    <${Logs} lines=${logs} />
  </section>`;
}

function TaskDetails(props: { task: TaskView; logs: readonly LogLine[] }) {
  const { task } = props;
  return html`<article class="card task-details" data-task=${task.name}>
    <h3>${task.name} <small>${task.status}, ${task.attempts} attempt(s)</small></h3>
    <div class="io">
      <div><h4>input</h4><pre>${json(task.input)}</pre></div>
      <div><h4>output</h4><pre>${json(task.output)}</pre></div>
    </div>
    ${task.error ? html`<p class="error">${task.error}: ${task.cause}</p>` : null}
    <h4>log lines</h4>
    <${Logs} lines=${props.logs} />
  </article>`;
}

/** Events on a time axis from the first one; the bar shows how far into the execution each happened. */
function Timeline(props: { events: readonly HistoryEventView[] }) {
  const { events } = props;
  if (events.length === 0) return html`<p>No events yet.</p>`;
  const start = Date.parse(events[0].timestamp);
  const span = Math.max(1, Date.parse(events[events.length - 1].timestamp) - start);
  return html`<ol class="timeline">${events.map((e) => {
    const offset = Date.parse(e.timestamp) - start;
    const name = (e.stateEnteredEventDetails as { name?: string } | undefined)?.name ?? (e.stateExitedEventDetails as { name?: string } | undefined)?.name ?? '';
    return html`<li data-type=${e.type}>
      <span class="bar" style=${`width:${Math.max(2, (offset / span) * 200)}px`}></span>
      <code>#${e.id}</code> <b>${e.type}</b> ${name} <small>+${offset} ms</small>
    </li>`;
  })}</ol>`;
}

function Logs(props: { lines: readonly LogLine[] }) {
  if (props.lines.length === 0) return html`<p class="muted">No log lines.</p>`;
  return html`<pre class="logs">${props.lines.map((l) => `${l.time ?? ''} ${(l.level ?? 'info').toUpperCase()} [${l.task ?? ''}#${String(l.attempt ?? 0)}] ${l.message ?? JSON.stringify(l)}\n`)}</pre>`;
}
