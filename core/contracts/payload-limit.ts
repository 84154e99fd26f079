/**
 * Step Functions' limit on an execution's input (256 KB, https://docs.aws.amazon.com/step-functions/latest/dg/service-quotas.html).
 * Request bodies above it are refused before parsing.
 */
export const MAX_PAYLOAD_BYTES = 256 * 1024;
