/**
 * Hot reload for `npm start`: definitions and handler files are watched (fs.watch, debounced); an edit takes
 * effect for new executions without a restart, while running executions keep the workflow and handler
 * modules they started with (the engine holds both per execution). A broken edit is reported in one line
 * with file:line and the last good version keeps serving.
 *
 * What is not reloaded: modules a handler imports (only the handler file itself is imported afresh), and
 * triggers (schedules and event rules), which are set up when the stack starts.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, extname, relative, resolve } from 'node:path';
import { checkWorkflow } from '../../core/compiler/compile.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { runtimeWorkflowEntry } from '../../core/compiler/registry.ts';
import { formatDiagnostic, hasErrors, type Diagnostic } from '../../core/definition/diagnostics.ts';
import type { WorkflowConfig } from '../../core/contracts/workflow-entry.ts';
import { DEFINITION_EXTENSIONS } from '../../project/load-project.ts';
import { loadDefinition } from '../../project/definition-files.ts';
import { moduleUrl } from '../engine/handler-loader.ts';
import type { LocalEngine } from '../engine/local-engine.ts';
import type { HandlerVersions } from './handler-versions.ts';
import { moduleErrorLine } from './module-error-line.ts';

export interface HotReloadProps {
  readonly definitionsDir: string;
  readonly engine: LocalEngine;
  /** The workflows the API serves (its configuration), updated in place. */
  readonly workflows: Record<string, WorkflowConfig>;
  readonly versions: HandlerVersions;
  readonly plans: readonly WorkflowPlan[];
  readonly log: (line: string) => void;
  /** Quiet time after the last change before reloading (editors write in several steps). @default 100 */
  readonly debounceMs?: number;
}

export interface HotReload {
  /** Resolves once the changes seen so far are reloaded (tests). */
  settled(): Promise<void>;
  close(): void;
}

export function startHotReload(props: HotReloadProps): HotReload {
  const debounceMs = props.debounceMs ?? 100;
  const definitionsDir = resolve(props.definitionsDir);
  /** The last good plan of each definition file. */
  const plans = new Map<string, WorkflowPlan>(props.plans.map((p) => [resolve(p.file), p]));
  const watchers = new Map<string, FSWatcher>();
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let closed = false;

  const handlerFiles = () => new Set([...plans.values()].flatMap((p) => p.functions.map((f) => resolve(f.handler.file))));
  const isDefinitionFile = (file: string) => dirname(file) === definitionsDir && DEFINITION_EXTENSIONS.includes(extname(file)) && !file.endsWith('.schema.json');

  const changed = (file: string) => {
    if (closed) return;
    pending.add(file);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      running = running.then(() => reload(files));
    }, debounceMs);
  };

  const watchDir = (dir: string) => {
    if (watchers.has(dir) || !existsSync(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => name && changed(resolve(dir, name.toString())));
      watcher.on('error', () => watchers.delete(dir));
      watchers.set(dir, watcher);
    } catch (error) {
      props.log(`✖ hot reload cannot watch ${shown(dir)}: ${(error as Error).message}`);
    }
  };
  const watchHandlers = () => {
    for (const file of handlerFiles()) watchDir(dirname(file));
  };

  async function reload(files: string[]): Promise<void> {
    const handlers = handlerFiles();
    for (const file of files) {
      if (closed) return;
      if (handlers.has(file)) await reloadHandler(file);
      else if (isDefinitionFile(file)) reloadDefinition(file);
    }
    watchHandlers();
  }

  function reloadDefinition(file: string): void {
    const previous = plans.get(file);
    if (!existsSync(file)) {
      if (previous) props.log(`↻ ${shown(file)} was removed; workflow ${previous.name} is served until the stack restarts`);
      return;
    }
    const { definition, diagnostics } = loadDefinition(shown(file));
    const compiled = definition && !hasErrors(diagnostics) ? checkWorkflow(definition) : undefined;
    const all: Diagnostic[] = [...diagnostics, ...(compiled?.diagnostics ?? []).map((d) => ({ ...d, file: shown(file) }))];
    const errors = all.filter((d) => d.severity === 'error');
    const keep = previous ? `; still serving the last good version of ${previous.name}` : '';
    if (errors.length > 0 || !compiled?.plan) {
      const first = errors[0];
      props.log(`${first ? formatDiagnostic(first) : `✖ ${shown(file)}: cannot be compiled`}${errors.length > 1 ? ` (+${errors.length - 1} more)` : ''}${keep}`);
      return;
    }
    const plan = compiled.plan;
    const clash = [...plans].find(([other, p]) => other !== file && p.name === plan.name);
    if (clash) {
      props.log(`✖ ${shown(file)}: workflow "${plan.name}" is already defined in ${shown(clash[0])}${keep}`);
      return;
    }
    try {
      props.engine.register(plan);
    } catch (error) {
      props.log(`✖ ${shown(file)}: workflow ${plan.name} cannot run offline: ${(error as Error).message}${keep}`);
      return;
    }
    plans.set(file, plan);
    props.workflows[plan.name] = { stateMachineArn: props.engine.stateMachineArn(plan.name), ...runtimeWorkflowEntry(plan) };
    props.log(`↻ ${shown(file)}: workflow ${plan.name} reloaded; new executions run this version`);
  }

  async function reloadHandler(file: string): Promise<void> {
    if (!existsSync(file)) return; // mid-save, or removed: the next write brings it back
    const version = props.versions.nextAttempt(file);
    try {
      // Imported here first, so a broken edit is caught before any execution would call it.
      await import(moduleUrl(file, version));
    } catch (error) {
      props.log(`✖ ${moduleErrorLine(file, error, shown)}; still serving the last good version`);
      return;
    }
    props.versions.adopt(file, version);
    const using = [...plans.values()].filter((p) => p.functions.some((f) => resolve(f.handler.file) === file));
    for (const plan of using) props.engine.register(plan); // takes the new version for new executions
    props.log(`↻ ${shown(file)} reloaded; new executions of ${using.map((p) => p.name).join(', ') || 'no workflow'} call it`);
  }

  watchDir(definitionsDir);
  watchHandlers();
  return {
    settled: async () => {
      await new Promise((r) => setTimeout(r, debounceMs * 2));
      await running;
    },
    close: () => {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}

function shown(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel || basename(file);
}
