/** A handler module and the export to call in it. */
export interface HandlerRef {
  /** Absolute path of the module. */
  readonly file: string;
  readonly exportName: string;
}
