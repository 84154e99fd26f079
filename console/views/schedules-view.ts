import { useEffect, useState } from 'preact/hooks';
import type { Api, FireRecord, ScheduleDetails } from '../api.ts';
import { html } from '../html.ts';

/** Every schedule (declared and created through the API): its expression, next fire times and last fires. */
export function SchedulesView(props: { api: Api }) {
  const { api } = props;
  const [schedules, setSchedules] = useState<ScheduleDetails[]>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const { items } = await api.schedules();
        const details = await Promise.all(items.map((s) => api.schedule(s.scheduleId)));
        if (live) setSchedules(details);
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, 5000);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, []);
  if (error) return html`<p class="error">${error}</p>`;
  if (!schedules) return html`<p>Loading…</p>`;
  return html`<section class="schedules">
    <h2>Schedules</h2>
    ${schedules.length === 0 ? html`<p class="muted">No schedules: declare a trigger with cron in a definition, or POST /schedules.</p>` : null}
    <div class="cards">
      ${schedules.map((s) => html`<article class="card schedule" data-schedule=${s.scheduleId}>
        <h3>${s.scheduleId} <small>${s.enabled ? '' : 'disabled · '}${s.origin}</small></h3>
        <p><code>${s.expression}</code> (${s.timezone}) → <a href=${`#/workflows/${s.workflow}`}>${s.workflow}</a></p>
        <h4>Next fires</h4>
        <ol class="next-fires">${s.nextFireTimes.slice(0, 5).map((t) => html`<li>${t}</li>`)}</ol>
        <h4>Past fires</h4>
        ${s.fires.length === 0 ? html`<p class="muted past-fires-empty">no fires yet</p>` : html`<${FiresTable} fires=${s.fires} />`}
      </article>`)}
    </div>
  </section>`;
}

/** Fires or deliveries, newest first: when, how late, what came of it, and the execution started. */
export function FiresTable(props: { fires: readonly FireRecord[] }) {
  return html`<table class="fires">
    <thead><tr><th>scheduled</th><th>late</th><th>outcome</th><th>execution</th></tr></thead>
    <tbody>${props.fires.map((f) => html`<tr data-outcome=${f.outcome}>
      <td>${f.scheduledTime}</td><td>${Math.round(f.latenessMs)} ms</td>
      <td><span class=${`status ${f.outcome === 'started' ? 'SUCCEEDED' : f.outcome === 'failed' ? 'FAILED' : ''}`}>${f.outcome}</span>${f.reason ? html` <small>${f.reason}</small>` : null}</td>
      <td>${f.executionId ? html`<a href=${`#/workflows/${workflowOf(f.scheduleId)}/executions/${f.executionId}`}>${f.executionId}</a>` : ''}</td>
    </tr>`)}</tbody>
  </table>`;
}

/** Schedule ids are `<workflow>.<trigger>`. */
function workflowOf(scheduleId: string): string {
  return scheduleId.split('.')[0];
}
