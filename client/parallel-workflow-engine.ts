import { GraphWorkflowEngine, type GraphEngineOptions } from './graph-workflow-engine.ts';

/** Runs a task graph with independent tasks side by side (up to `maxConcurrentTasks`) on a deployed workflow. */
export class ParallelWorkflowEngine extends GraphWorkflowEngine {
  constructor(options: GraphEngineOptions = {}) {
    super('parallel', options);
  }
}
