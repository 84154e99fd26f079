import {
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  ExecutionNotRedrivable,
  RedriveExecutionCommand,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionRunner, RedriveOutcome, StartRequest, StopReason, SyncOutcome } from './execution-runner.ts';

/** ExecutionRunner on Step Functions. */
export class SfnExecutionRunner implements ExecutionRunner {
  constructor(private readonly client: SFNClient) {}

  async start(request: StartRequest) {
    try {
      const result = await this.client.send(
        new StartExecutionCommand({ stateMachineArn: request.stateMachineArn, name: request.name, input: request.input }),
      );
      return { outcome: 'started' as const, executionArn: result.executionArn };
    } catch (error) {
      // Same name and input as a running Standard execution is not an error; a closed one or another
      // input is ExecutionAlreadyExists (https://docs.aws.amazon.com/step-functions/latest/apireference/API_StartExecution.html).
      if (error instanceof ExecutionAlreadyExists) return { outcome: 'already-exists' as const };
      throw error;
    }
  }

  async startSync(request: StartRequest): Promise<SyncOutcome> {
    const result = await this.client.send(
      new StartSyncExecutionCommand({ stateMachineArn: request.stateMachineArn, name: request.name, input: request.input }),
    );
    const status = result.status ?? 'FAILED';
    return {
      executionArn: result.executionArn ?? '',
      status,
      startDate: result.startDate ?? new Date(),
      stopDate: result.stopDate ?? new Date(),
      ...(result.output != null && result.outputDetails?.included !== false ? { output: result.output } : {}),
      ...(result.error != null ? { error: result.error } : {}),
      ...(result.cause != null ? { cause: result.cause } : {}),
    };
  }

  async stop(executionArn: string, reason: StopReason): Promise<'stopping' | 'not-found'> {
    try {
      await this.client.send(new StopExecutionCommand({ executionArn, error: reason.error, cause: reason.cause }));
      return 'stopping';
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return 'not-found';
      throw error;
    }
  }

  async redrive(executionArn: string): Promise<RedriveOutcome> {
    try {
      const result = await this.client.send(new RedriveExecutionCommand({ executionArn }));
      return { outcome: 'redriven' as const, redriveDate: result.redriveDate ?? new Date() };
    } catch (error) {
      if (error instanceof ExecutionDoesNotExist) return { outcome: 'not-found' as const, message: error.message };
      if (error instanceof ExecutionNotRedrivable) return { outcome: 'not-redrivable' as const, message: error.message };
      if ((error as Error).name === 'UnknownOperationException') return { outcome: 'not-supported' as const, message: (error as Error).message };
      throw error;
    }
  }
}
