import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const STACK_SCRIPT = fileURLToPath(new URL('../local/fixtures/crash/stack.ts', import.meta.url));
/** Inside the project, so the bundle's bare imports resolve to its node_modules. */
const BUNDLE = fileURLToPath(new URL(`../../node_modules/.cache/stepflow-test/stack-${process.pid}.mjs`, import.meta.url));
let bundled: Promise<unknown> | undefined;
const children = new Set<ChildProcess>();

/**
 * The stack script bundled once (packages left to node_modules): a child then starts in about half the
 * time it takes through tsx, which matters to a test that starts twenty of them. Task handlers are still
 * imported from their .ts files (Node strips their types).
 */
function bundleStackScript(): Promise<unknown> {
  bundled ??= build({ entryPoints: [STACK_SCRIPT], outfile: BUNDLE, bundle: true, platform: 'node', format: 'esm', packages: 'external', logLevel: 'warning' });
  return bundled;
}

/** Kills every child still running (a failed test's stacks) and removes the bundle. */
export function killStackProcesses(): void {
  for (const child of children) child.kill('SIGKILL');
  rmSync(BUNDLE, { force: true });
}

/** The dev stack running in a child process (test/local/fixtures/crash/stack.ts). */
export interface StackProcess {
  readonly url: string;
  readonly pid: number;
  /** Kills it with the signal and resolves once it has exited, with its exit code. */
  stop(signal: 'SIGKILL' | 'SIGINT'): Promise<number | null>;
}

export interface StackProcessProps {
  readonly definitionsDir: string;
  readonly dataDir: string;
  readonly env?: Record<string, string>;
  readonly closeGraceMs?: number;
}

/** Starts the stack in a child process and resolves once it prints its URL. */
export async function startStackProcess(props: StackProcessProps): Promise<StackProcess> {
  await bundleStackScript();
  const args = [BUNDLE, props.definitionsDir, props.dataDir, ...(props.closeGraceMs === undefined ? [] : [String(props.closeGraceMs)])];
  const child: ChildProcess = spawn(process.execPath, args, { env: { ...process.env, STEPFLOW_LOG: 'off', ...props.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  children.add(child);
  const exited = once(child, 'exit') as Promise<[number | null]>;
  void exited.then(() => children.delete(child));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /^ready (\S+)$/m.exec(stdout);
      if (match) resolve(match[1]);
    });
    void exited.then(([code]) => reject(new Error(`the stack exited (${code}) before it was ready: ${stderr}`)));
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    async stop(signal) {
      child.kill(signal);
      const [code] = await exited;
      return code;
    },
  };
}
