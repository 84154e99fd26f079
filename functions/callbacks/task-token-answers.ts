import { SendTaskFailureCommand, SendTaskHeartbeatCommand, SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';

/**
 * Answers to the task tokens of `.waitForTaskToken` states (callback tasks): SendTaskSuccess, Failure
 * and Heartbeat. Errors keep Step Functions' names (TaskDoesNotExist, TaskTimedOut, InvalidToken,
 * InvalidOutput), which the API turns into 4xx
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html#API_SendTaskSuccess_Errors).
 */
export interface TaskTokenAnswers {
  succeed(token: string, output: string): Promise<void>;
  fail(token: string, error?: string, cause?: string): Promise<void>;
  heartbeat(token: string): Promise<void>;
}

export class SfnTaskTokenAnswers implements TaskTokenAnswers {
  constructor(private readonly client: SFNClient) {}

  async succeed(token: string, output: string): Promise<void> {
    await this.client.send(new SendTaskSuccessCommand({ taskToken: token, output }));
  }

  async fail(token: string, error?: string, cause?: string): Promise<void> {
    await this.client.send(new SendTaskFailureCommand({ taskToken: token, ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) }));
  }

  async heartbeat(token: string): Promise<void> {
    await this.client.send(new SendTaskHeartbeatCommand({ taskToken: token }));
  }
}
