/** An EventBridge error with its wire code (`__type`), e.g. ResourceNotFoundException. */
export class EventBridgeError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = code;
  }
}
