/**
 * Names of the states the compiler adds around tasks. Task names are letters, digits and underscores,
 * so a dot can never collide with one.
 */
export const stateNames = {
  task: (task: string) => task,
  parallel: (index: number) => `parallel.${index}`,
  caught: (task: string) => `${task}.caught`,
  cause: (task: string) => `${task}.cause`,
  timedOut: (task: string) => `${task}.timed_out`,
  unavailable: (task: string) => `${task}.unavailable`,
  fallback: (fallback: string, failed: string) => `${fallback}.for.${failed}`,
};
