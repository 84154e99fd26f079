/**
 * The coordinator Lambda's timeout, the same deployed (infra/constructs/coordinator.ts) and offline:
 * a call reads and writes a few items and sends a few task tokens.
 */
export const COORDINATOR_TIMEOUT_SECONDS = 30;
