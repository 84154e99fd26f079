/** The id of the dispatcher target on every rule stepflow creates. */
export const DISPATCHER_TARGET_ID = 'dispatcher';

/** How rules created through `POST /event-rules` are described: only those may be deleted through the API. */
export const API_RULE_DESCRIPTION = 'stepflow api rule';

/**
 * Names of rules created through `POST /event-rules` start with this, so the API's IAM policy can be
 * limited to them (`rule/<bus>/stepflow-*`).
 */
export const API_RULE_PREFIX = 'stepflow-';
