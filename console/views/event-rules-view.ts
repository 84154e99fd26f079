import { useEffect, useState } from 'preact/hooks';
import type { Api, EventRuleView } from '../api.ts';
import { html } from '../html.ts';
import { FiresTable } from './schedules-view.ts';

/** The rules on the project bus: the workflow each starts, its pattern and its last deliveries. */
export function EventRulesView(props: { api: Api }) {
  const [rules, setRules] = useState<EventRuleView[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = () => props.api.eventRules().then((b) => live && setRules(b.items), (e: Error) => live && setError(e.message));
    void load();
    const timer = setInterval(load, 3000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (error) return html`<p class="error">${error}</p>`;
  if (!rules) return html`<p>Loading…</p>`;
  return html`<section class="event-rules">
    <h2>Event rules</h2>
    ${rules.length === 0 ? html`<p class="muted">No event rules: declare a trigger with an event pattern, or POST /event-rules.</p>` : null}
    <div class="cards">
      ${rules.map((r) => html`<article class="card event-rule" data-rule=${r.name}>
        <h3>${r.name} <small>${r.state === 'ENABLED' ? '' : 'disabled · '}${r.origin} · bus ${r.bus}</small></h3>
        ${r.workflow ? html`<p>starts <a href=${`#/workflows/${r.workflow}`}>${r.workflow}</a> (trigger ${r.trigger})</p>` : null}
        <pre class="pattern">${JSON.stringify(r.pattern, null, 2)}</pre>
        <h4>Last deliveries</h4>
        ${r.deliveries.length === 0 ? html`<p class="muted">none yet</p>` : html`<${FiresTable} fires=${r.deliveries} />`}
      </article>`)}
    </div>
  </section>`;
}
