import type { SQSBatchResponse } from 'aws-lambda';

/**
 * Which messages of a batch come back, read from a worker's answer the way an SQS event source reads it
 * (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html#services-sqs-batchfailurereporting):
 * an empty or absent `batchItemFailures` means every message succeeded; a failure entry whose
 * `itemIdentifier` is empty or names no message of the batch, an answer that is not a batch response, or an
 * invocation error fails the whole batch.
 */
export function failedMessageIds(batch: readonly string[], response: unknown): string[] {
  if (response === null || response === undefined) return [];
  if (typeof response !== 'object' || Array.isArray(response)) return [...batch];
  const failures = (response as Partial<SQSBatchResponse>).batchItemFailures;
  if (failures === undefined || failures === null) return [];
  if (!Array.isArray(failures)) return [...batch];
  const ids = new Set(batch);
  const failed = new Set<string>();
  for (const entry of failures) {
    const id = (entry as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof id !== 'string' || !ids.has(id)) return [...batch];
    failed.add(id);
  }
  return batch.filter((id) => failed.has(id));
}
