/** Ends a Step Functions task that waits for a token (https://docs.aws.amazon.com/step-functions/latest/apireference/API_SendTaskSuccess.html). */
export interface TaskTokens {
  /** 'gone' when the task no longer waits: it was released already, timed out, or its execution ended. */
  succeed(token: string, output: string): Promise<'sent' | 'gone'>;
}
