/**
 * What parsing needs of the world around a definition: the project it belongs to and the source of its
 * handler modules. `core/` reads no files; the loader in `project/` supplies a host backed by the disk.
 */
export interface DefinitionHost {
  /** Folder that default handler paths (`functions/tasks/<task>.ts`) and handler ids start from. */
  readonly projectRoot: string;
  /** Source text of a handler module, or undefined when there is no such file. */
  readModule(file: string): string | undefined;
  /** How a path appears in messages. @default the absolute path */
  displayPath?(file: string): string;
}
