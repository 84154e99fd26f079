import { basename } from 'node:path';
import type { WorkflowDefinition } from '../definition/model.ts';
import { chooseStrategy } from './strategy.ts';

/**
 * A Mermaid flowchart of a workflow: tasks and their dependencies, fallbacks as dashed edges, tasks
 * allowed to fail marked, and waits the nested form adds (graphs it cannot express exactly) as dotted edges.
 */
export function workflowMermaid(definition: WorkflowDefinition): string {
  const lines = ['flowchart TD'];
  const id = (name: string) => `t_${name}`;
  const node = (task: WorkflowDefinition['tasks'][number], indent: string) => {
    const kind = task.type === 'callback' ? callbackKind(task) : task.type !== 'function' ? `${task.type}: ${task.service}` : task.handler ? `${basename(task.handler.file)}#${task.handler.exportName}` : '';
    const note = task.onFailure.kind === 'continue' ? '<br/><i>may fail</i>' : '';
    if (task.fanOut) {
      // A fan-out: a parallelogram, with where its items come from and how many run at once.
      const { items, maxConcurrency, toleratedFailurePercentage, large, batchSize } = task.fanOut;
      const from = items.source === 's3' ? `s3://${items.bucket}/${items.key}${items.format !== 'json' ? ` (${items.format})` : ''}` : `$.${items.source}${items.path.map((k) => `.${k}`).join('')}`;
      const tolerance = toleratedFailurePercentage !== undefined ? `, tolerates ${toleratedFailurePercentage}% failed` : '';
      lines.push(`${indent}${id(task.name)}[/"for each ${from}<br/>${task.fanOut.itemTask}<br/><small>${kind}, ${batchSize !== undefined ? `batches of ${batchSize}, ` : ''}${maxConcurrency} at once${tolerance}${large ? ', distributed' : ''}</small>"/]`);
      return;
    }
    if (task.approval) {
      // An approval: a flag shape, with who decides and when it expires.
      const who = task.approval.approvers ? `${task.approval.approvers}, ` : '';
      lines.push(`${indent}${id(task.name)}>"${task.name}<br/><small>approval: ${who}expires in ${task.approval.expiresSeconds}s</small>"]`);
      return;
    }
    const shape = task.type === 'service' ? ['[[', ']]'] : task.type === 'callback' ? ['([', '])'] : ['[', ']'];
    lines.push(`${indent}${id(task.name)}${shape[0]}"${task.name}<br/><small>${kind}</small>${note}"${shape[1]}`);
  };
  const byName = new Map(definition.tasks.map((t) => [t.name, t]));
  const staged = new Set<string>();
  for (const stage of definition.stages ?? []) {
    lines.push(`  subgraph s_${stage.name}["stage ${stage.name}"]`);
    for (const name of stage.tasks) {
      node(byName.get(name)!, '    ');
      staged.add(name);
    }
    lines.push('  end');
  }
  for (const task of definition.tasks) if (!staged.has(task.name)) node(task, '  ');
  // Compensations: run latest-completed first when the workflow fails after their task completed.
  for (const task of definition.tasks) {
    const undo = task.compensate;
    if (!undo) continue;
    const by = undo.service ? `service: ${undo.service}` : `${basename(undo.handler!.file)}#${undo.handler!.exportName}`;
    lines.push(`  c_${task.name}{{"undo ${task.name}<br/><small>${by}</small>"}}`);
    lines.push(`  ${id(task.name)} -. compensate .-> c_${task.name}`);
  }
  for (const task of definition.tasks) {
    for (const dep of task.dependsOn) lines.push(`  ${id(dep)} --> ${id(task.name)}`);
    if (task.onFailure.kind === 'fallback') lines.push(`  ${id(task.name)} -. on failure .-> ${id(task.onFailure.task)}`);
  }
  if (definition.engine.type === 'parallel') {
    for (const edge of chooseStrategy(definition).serialised) {
      lines.push(`  ${id(edge.waitsFor)} -.->|serialised| ${id(edge.task)}`);
    }
  }
  return lines.join('\n') + '\n';
}

/** Where a callback hands its token out: its service (http), the bus and detail-type (event), or the queue (sqs). */
function callbackKind(task: WorkflowDefinition['tasks'][number]): string {
  const channel = task.callback ?? { kind: 'http' };
  if (channel.kind === 'event') return `callback via event: ${channel.bus ?? 'project bus'}, ${channel.detailType}`;
  if (channel.kind === 'sqs') return `callback via sqs: ${channel.queue?.name ?? 'its own queue'}`;
  return `callback: ${task.service}`;
}
