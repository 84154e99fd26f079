import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small Step Functions stand-in speaking the awsJson1_0 protocol the SDK uses (`X-Amz-Target:
 * AWSStepFunctions.<Operation>`), for API tests until the offline stack's SFN server exists. It keeps
 * executions in memory and follows StartExecution's idempotency rule: same name and input while running
 * answers the same execution; otherwise ExecutionAlreadyExists.
 */
export interface FakeSfn {
  readonly endpoint: string;
  /** Executions by ARN. */
  readonly executions: Map<string, { name: string; input: string; status: string }>;
  /** Every call, in order: `{ operation, body }`. */
  readonly calls: { operation: string; body: Record<string, unknown> }[];
  /** Makes the next StartExecution fail with this AWS error type. */
  failNextStart(errorType: string): void;
  close(): Promise<void>;
}

export async function startFakeSfn(): Promise<FakeSfn> {
  const executions = new Map<string, { name: string; input: string; status: string }>();
  const calls: { operation: string; body: Record<string, unknown> }[] = [];
  let nextStartFailure: string | undefined;

  const server = createServer(async (req, res) => {
    const body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
    const operation = String(req.headers['x-amz-target'] ?? '').replace('AWSStepFunctions.', '');
    calls.push({ operation, body });
    const reply = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify(payload));
    };
    const fail = (type: string, message: string) => reply(400, { __type: `com.amazonaws.stepfunctions#${type}`, message });

    if (operation === 'StartExecution') {
      if (nextStartFailure) {
        const type = nextStartFailure;
        nextStartFailure = undefined;
        return fail(type, 'injected failure');
      }
      const arn = `${String(body.stateMachineArn).replace(':stateMachine:', ':execution:')}:${String(body.name)}`;
      const input = String(body.input ?? '{}');
      const existing = executions.get(arn);
      if (existing && !(existing.status === 'RUNNING' && existing.input === input)) {
        return fail('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
      }
      executions.set(arn, existing ?? { name: String(body.name), input, status: 'RUNNING' });
      return reply(200, { executionArn: arn, startDate: Date.now() / 1000 });
    }
    if (operation === 'StopExecution') {
      const execution = executions.get(String(body.executionArn));
      if (!execution) return fail('ExecutionDoesNotExist', `Execution Does Not Exist: '${String(body.executionArn)}'`);
      execution.status = 'ABORTED';
      return reply(200, { stopDate: Date.now() / 1000 });
    }
    return fail('UnknownOperationException', `fake SFN does not implement ${operation}`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    executions,
    calls,
    failNextStart: (errorType) => {
      nextStartFailure = errorType;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
