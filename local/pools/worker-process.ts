import { fork, type ChildProcess } from 'node:child_process';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, WorkerInit } from './worker-protocol.ts';

/** `.ts` beside the sources (run through tsx), `.js` in the built package. */
const ENTRY = fileURLToPath(new URL(`./worker-child${extname(import.meta.url)}`, import.meta.url));

export type WorkerState = 'starting' | 'idle' | 'busy' | 'stopped';

/** The worker process ended while it held a batch. */
export class WorkerExited extends Error {
  constructor(pid: number | undefined, code: number | null, signal: string | null) {
    super(`worker ${pid} exited (${signal ?? `code ${code}`})`);
    this.name = 'WorkerExited';
  }
}

/** One worker child process, seen from the pool manager. */
export class WorkerProcess {
  state: WorkerState = 'starting';
  /** Epoch ms of the last answered health check. */
  lastHealthCheck?: number;
  idleSince = Date.now();
  /** A ping of the stall watch is out. */
  pinging = false;
  /** Loaded and waiting to replace a worker that dies: runs no job until then. */
  standby = false;
  /** performance.now() of its last answered batch. */
  lastAnswerAt = 0;
  private batches = 0;
  private readonly child: ChildProcess;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private seq = 0;
  readonly exited: Promise<void>;
  private readonly started: Promise<void>;

  constructor(init: WorkerInit) {
    const execArgv = ENTRY.endsWith('.ts') ? ['--import', 'tsx'] : [];
    this.child = fork(ENTRY, [], { execArgv, serialization: 'json', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.state = 'stopped';
        const error = new WorkerExited(this.child.pid, code, signal);
        for (const waiter of this.pending.values()) waiter.reject(error);
        this.pending.clear();
        resolve();
      });
    });
    this.child.on('message', (message: ChildMessage) => this.receive(message));
    this.child.on('error', () => undefined); // a failed send or kill; the exit handler settles what waits
    this.started = this.request(-1, undefined).then(() => undefined);
    this.started.catch(() => undefined);
    this.send(init);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Resolves once the handler module is loaded. */
  ready(): Promise<void> {
    return this.started;
  }

  /** Batches sent and not answered yet: the one running and, at most, the next one (claimed, waiting its turn). */
  get inFlight(): number {
    return this.batches;
  }

  /**
   * Runs one batch; rejects with WorkerExited when the process dies first, or after `timeoutMs` (the process
   * is then killed). A batch sent while another runs waits in the process for its handler turn.
   */
  async run(event: unknown, timeoutMs: number): Promise<unknown> {
    this.state = 'busy';
    this.batches++;
    const id = ++this.seq;
    const timer = setTimeout(() => this.kill(), timeoutMs);
    try {
      const answer = (await this.request(id, { type: 'batch', id, event })) as { response?: unknown; error?: string };
      if (answer.error) throw new Error(answer.error);
      return answer.response;
    } finally {
      clearTimeout(timer);
      this.batches--;
      if (this.state === 'busy' && this.batches === 0) {
        this.state = 'idle';
        this.idleSince = Date.now();
      }
    }
  }

  /** True when the process answers within `timeoutMs`. */
  async ping(timeoutMs: number): Promise<boolean> {
    const id = ++this.seq;
    const answered = this.request(id, { type: 'ping', id }).then(() => true, () => false);
    const late = new Promise<boolean>((resolve) => setTimeout(() => resolve(false), timeoutMs).unref());
    const healthy = await Promise.race([answered, late]);
    if (healthy) this.lastHealthCheck = Date.now();
    else this.pending.delete(id);
    return healthy;
  }

  private stopping = false;

  /** True when the process ended without being asked to. */
  get crashed(): boolean {
    return !this.stopping;
  }

  /** Ends a healthy worker (idle timeout, pool stopped). */
  stop(): void {
    this.stopping = true;
    this.kill('SIGTERM');
  }

  /** Ends the process at once; counted as a crash (a hung or unhealthy worker). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.state !== 'stopped') this.child.kill(signal);
  }

  private request(id: number, message: ParentMessage | undefined): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.state === 'stopped') return reject(new WorkerExited(this.child.pid, null, null));
      this.pending.set(id, { resolve, reject });
      if (message) this.send(message);
    });
  }

  private send(message: ParentMessage): void {
    // A process dying while a message goes out fails the write (EPIPE): its exit rejects what waits on it.
    if (this.child.connected) this.child.send(message, (error) => void error);
  }

  private receive(message: ChildMessage): void {
    if (message.type === 'ready' || message.type === 'fatal') {
      const waiter = this.pending.get(-1);
      this.pending.delete(-1);
      if (message.type === 'ready') {
        this.state = 'idle';
        waiter?.resolve(undefined);
      } else {
        waiter?.reject(new Error(message.message));
        this.kill();
      }
      return;
    }
    const waiter = this.pending.get(message.id);
    this.pending.delete(message.id);
    waiter?.resolve(message);
  }
}
