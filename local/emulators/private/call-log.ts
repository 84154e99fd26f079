/** One request an emulator answered, as tests look back on it. */
export interface RecordedCall {
  /** The API operation, e.g. `StartExecution`, `PutEvents`, `CreateSchedule`. */
  readonly operation: string;
  /** The request's parameters as the SDK sent them (for REST operations, path and query included). */
  readonly input: Readonly<Record<string, unknown>>;
  /** The answer, when the operation succeeded. */
  readonly output?: unknown;
  /** The wire error, when it failed (injected or not). */
  readonly error?: { readonly code: string; readonly message: string };
}

/** An error an emulator answers in place of running an operation. */
export interface Fault {
  /** The wire error code, e.g. `ServiceUnavailable`, `ThrottlingException`. */
  readonly code: string;
  /** @default 'injected fault' */
  readonly message?: string;
  /**
   * HTTP status. The SDK retries 5xx and throttling errors on its own, so a single injected 5xx is usually
   * invisible to the caller. @default 400
   */
  readonly status?: number;
}

/** What tests get of an emulator besides its API: the calls it answered and errors to answer next. */
export interface EmulatorControls {
  /** Every call answered, oldest first; empty unless the emulator was started with `recordCalls`. */
  readonly calls: readonly RecordedCall[];
  /** Answers the next call of `operation` with `fault` instead of running it; several queue up in order. */
  failNext(operation: string, fault: Fault): void;
}

/** The recorded calls and queued faults of one emulator. */
export class CallLog implements EmulatorControls {
  readonly calls: RecordedCall[] = [];
  private readonly faults = new Map<string, Fault[]>();

  /** @param recording keep calls; off by default in a long-running stack, whose calls would pile up */
  constructor(private readonly recording = false) {}

  failNext(operation: string, fault: Fault): void {
    this.faults.set(operation, [...(this.faults.get(operation) ?? []), fault]);
  }

  /** The fault queued for the operation, if any, taken off the queue. */
  takeFault(operation: string): Required<Fault> | undefined {
    const fault = this.faults.get(operation)?.shift();
    return fault && { code: fault.code, message: fault.message ?? 'injected fault', status: fault.status ?? 400 };
  }

  record(call: RecordedCall): void {
    if (this.recording) this.calls.push(call);
  }
}
