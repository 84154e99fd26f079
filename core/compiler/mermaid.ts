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
  for (const task of definition.tasks) {
    const kind = task.type === 'service' ? `service: ${task.service}` : task.handler ? `${basename(task.handler.file)}#${task.handler.exportName}` : '';
    const note = task.onFailure.kind === 'continue' ? '<br/><i>may fail</i>' : '';
    const shape = task.type === 'service' ? ['[[', ']]'] : ['[', ']'];
    lines.push(`  ${id(task.name)}${shape[0]}"${task.name}<br/><small>${kind}</small>${note}"${shape[1]}`);
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
