import './app.css';
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { createApi } from './api.ts';
import { html } from './html.ts';
import { ExecutionView } from './views/execution-view.ts';
import { WorkflowsView, WorkflowView } from './views/workflows-view.ts';
import { EventRulesView } from './views/event-rules-view.ts';
import { SchedulesView } from './views/schedules-view.ts';
import { ApprovalsView } from './views/approvals-view.ts';

/** The API the console talks to: the page's own origin, or `?api=<url>` for a deployed API. */
const api = createApi(new URLSearchParams(location.search).get('api') ?? '');

function useHash(): string {
  const [hash, setHash] = useState(location.hash);
  useEffect(() => {
    const changed = () => setHash(location.hash);
    addEventListener('hashchange', changed);
    return () => removeEventListener('hashchange', changed);
  }, []);
  return hash;
}

function App() {
  const hash = useHash();
  const [graphs, setGraphs] = useState<Record<string, string>>({});
  useEffect(() => {
    void api.graphs().then(setGraphs);
  }, []);
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  let page;
  if (parts[0] === 'workflows' && parts[2] === 'executions' && parts[3]) page = html`<${ExecutionView} api=${api} graphs=${graphs} workflow=${parts[1]} id=${parts[3]} />`;
  else if (parts[0] === 'schedules') page = html`<${SchedulesView} api=${api} />`;
  else if (parts[0] === 'event-rules') page = html`<${EventRulesView} api=${api} />`;
  else if (parts[0] === 'approvals') page = html`<${ApprovalsView} api=${api} />`;
  else if (parts[0] === 'workflows' && parts[1]) page = html`<${WorkflowView} api=${api} graphs=${graphs} name=${parts[1]} />`;
  else page = html`<${WorkflowsView} api=${api} graphs=${graphs} />`;
  return html`<header><h1><a href="#/">stepflow</a></h1><span>console</span>
    <nav><a href="#/" id="nav-workflows">Workflows</a><a href="#/schedules" id="nav-schedules">Schedules</a><a href="#/event-rules" id="nav-event-rules">Event rules</a><a href="#/approvals" id="nav-approvals">Approvals</a></nav>
  </header><main>${page}</main>`;
}

render(html`<${App} />`, document.getElementById('app')!);
