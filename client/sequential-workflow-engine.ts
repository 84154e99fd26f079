import { GraphWorkflowEngine, type GraphEngineOptions } from './graph-workflow-engine.ts';

/** Runs a task graph one task at a time, in dependency order, on a deployed workflow. */
export class SequentialWorkflowEngine extends GraphWorkflowEngine {
  constructor(options: GraphEngineOptions = {}) {
    super('sequential', options);
  }
}
