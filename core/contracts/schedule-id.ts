/** The id of a workflow's named schedule or trigger: `<workflow>.<name>`. */
export function scheduleIdFor(workflow: string, name: string): string {
  return `${workflow}.${name}`;
}

/** The workflow a schedule id belongs to: workflow and trigger names hold no dots. */
export function workflowOfScheduleId(scheduleId: string): string | undefined {
  const dot = scheduleId.lastIndexOf('.');
  return dot > 0 ? scheduleId.slice(0, dot) : undefined;
}
