import { randomBytes } from 'node:crypto';
import { StepflowError } from '../../core/errors.ts';
import { EngineError } from './errors.ts';

/** How a state waiting for its token fails on SendTaskFailure: its Error and Cause are the call's. */
export class TokenFailure extends StepflowError {
  constructor(error: string, cause: string) {
    super(cause, { code: 'TokenFailure' });
    this.name = error;
  }
}

/** The task named by the token ended, or its execution did: SendTaskSuccess's TaskTimedOut. */
export class TokenTimedOut extends EngineError {
  constructor() {
    super("Task Timed Out: 'Provided task does not exist anymore'");
    this.name = 'TaskTimedOut';
  }
}

/** Not a token this engine gave out. */
export class InvalidToken extends EngineError {
  constructor() {
    super('Invalid token');
    this.name = 'InvalidToken';
  }
}

/** SendTaskSuccess's output is not JSON. */
export class InvalidOutput extends EngineError {
  constructor(message: string) {
    super(`Invalid Output: ${message}`);
    this.name = 'InvalidOutput';
  }
}

/** A task waiting for its token: the token, and what the state ends with. */
export interface PendingTask {
  readonly token: string;
  readonly result: Promise<unknown>;
  /** The state ended otherwise (its Lambda failed, it timed out): the token no longer opens it. */
  cancel(): void;
}

interface Waiting {
  readonly executionArn: string;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

/**
 * The task tokens of `.waitForTaskToken` states (https://docs.aws.amazon.com/step-functions/latest/dg/connect-to-resource.html#connect-wait-token):
 * each is handed out when its state runs, and SendTaskSuccess or SendTaskFailure ends that state. A
 * token of a state or execution that ended answers TaskTimedOut, as Step Functions does.
 */
export class TaskTokenTable {
  private readonly waiting = new Map<string, Waiting>();
  private readonly ended = new Set<string>();

  create(executionArn: string): PendingTask {
    const token = randomBytes(48).toString('base64url');
    let entry!: Waiting;
    const result = new Promise<unknown>((resolve, reject) => {
      entry = { executionArn, resolve, reject };
    });
    this.waiting.set(token, entry);
    return { token, result, cancel: () => this.end(token) };
  }

  /** SendTaskSuccess: `output` is the state's result (JSON text). */
  succeed(token: string, output: string): void {
    let value: unknown;
    try {
      value = JSON.parse(output);
    } catch (error) {
      throw new InvalidOutput((error as Error).message);
    }
    this.take(token).resolve(value);
  }

  /** SendTaskFailure: the state fails with `error` (States.TaskFailed when absent) and `cause`. */
  fail(token: string, error?: string, cause?: string): void {
    this.take(token).reject(new TokenFailure(error ?? 'States.TaskFailed', cause ?? ''));
  }

  /** SendTaskHeartbeat: the state is still waiting. */
  heartbeat(token: string): void {
    if (!this.waiting.has(token)) throw this.ended.has(token) ? new TokenTimedOut() : new InvalidToken();
  }

  /** The execution ended: none of its tokens opens anything any more. */
  endExecution(executionArn: string): void {
    for (const [token, entry] of this.waiting) if (entry.executionArn === executionArn) this.end(token);
  }

  private take(token: string): Waiting {
    const entry = this.waiting.get(token);
    if (!entry) throw this.ended.has(token) ? new TokenTimedOut() : new InvalidToken();
    this.end(token);
    return entry;
  }

  private end(token: string): void {
    if (this.waiting.delete(token)) this.ended.add(token);
  }
}
