import { useEffect, useState } from 'preact/hooks';
import type { Api, ApprovalView } from '../api.ts';
import { html } from '../html.ts';

/** How often the list is read again, so approvals requested (or decided) elsewhere show up. */
const REFRESH_MS = 2000;

/** Pending approvals, each with approve and reject buttons and a reason; decided ones leave the list. */
export function ApprovalsView(props: { api: Api }) {
  const { api } = props;
  const [approvals, setApprovals] = useState<ApprovalView[]>();
  const [error, setError] = useState<string>();
  const [message, setMessage] = useState<string>();
  const [reasons, setReasons] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState<string>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    const load = async () => {
      try {
        const pending = await api.approvals('pending');
        if (live) {
          setApprovals(pending);
          setError(undefined);
        }
      } catch (e) {
        if (live) setError((e as Error).message);
      }
    };
    void load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [tick]);

  const decide = async (approval: ApprovalView, decision: 'approve' | 'reject') => {
    setBusy(approval.id);
    try {
      const decided = await api.decide(approval.id, decision, reasons[approval.id]);
      setMessage(`${approval.workflow}/${approval.task}: ${decided.status}`);
    } catch (e) {
      setMessage(`${approval.workflow}/${approval.task}: ${(e as Error).message}`);
    } finally {
      setBusy(undefined);
      setTick((t) => t + 1);
    }
  };

  if (error && !approvals) return html`<p class="error">${error}</p>`;
  if (!approvals) return html`<p>Loading…</p>`;
  return html`<section class="approvals">
    <h2>Pending approvals</h2>
    ${message ? html`<p id="approval-message" class="muted">${message}</p>` : null}
    ${approvals.length === 0 ? html`<p class="muted approvals-empty">Nothing waits for a decision.</p>` : null}
    <div class="cards">
      ${approvals.map((a) => html`<article class="card approval" data-approval=${a.id} data-task=${a.task}>
        <h3>${a.task} <small>${a.workflow}</small></h3>
        <p><a href=${`#/workflows/${a.workflow}/executions/${a.executionArn.split(':').at(-1)}`}>${a.executionArn.split(':').at(-1)}</a></p>
        <p class="muted">${a.approvers ? `approvers: ${a.approvers} · ` : ''}requested ${a.requestedAt} · expires ${a.expiresAt}</p>
        <input name="reason" placeholder="reason (optional)" value=${reasons[a.id] ?? ''}
          onInput=${(e: Event) => setReasons({ ...reasons, [a.id]: (e.target as HTMLInputElement).value })} />
        <p>
          <button class="approve" disabled=${busy === a.id} onClick=${() => decide(a, 'approve')}>Approve</button>
          <button class="reject" disabled=${busy === a.id} onClick=${() => decide(a, 'reject')}>Reject</button>
        </p>
      </article>`)}
    </div>
  </section>`;
}
