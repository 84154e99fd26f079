import type { FlagValue } from '../../core/contracts/trigger-condition.ts';

/** A state flag as stored. */
export interface FlagRecord {
  readonly name: string;
  readonly value: FlagValue;
  /** ISO 8601. */
  readonly updatedAt: string;
}

/** State flags that trigger conditions read (`condition.flag`), set through `PUT /flags/{name}`. */
export interface FlagStore {
  /** The flag's value; undefined when it was never set (a condition then counts it as not set). */
  getFlag(name: string): Promise<FlagValue | undefined>;
  /** The flag with its update time; undefined when never set. */
  getFlagRecord(name: string): Promise<FlagRecord | undefined>;
  setFlag(name: string, value: FlagValue): Promise<FlagRecord>;
}
