import { pathToFileURL } from 'node:url';
import type { HandlerRef } from '../../core/definition/model.ts';
import { LambdaTaskError } from './lambda-error.ts';

/** A Lambda handler as the Node.js runtime calls it (async style). */
export type LambdaHandler = (event: unknown, context: unknown) => unknown;

/**
 * Imports handler modules once each, like a warm Lambda container. A failed import is not cached, so
 * a fixed module is picked up by the next task. Import failures carry the Lambda runtime's error types
 * (https://docs.aws.amazon.com/lambda/latest/dg/nodejs-exceptions.html) so ASL sees the same errors.
 */
export class HandlerLoader {
  private readonly modules = new Map<string, Promise<Record<string, unknown>>>();

  /**
   * The handler of `ref`; `version` names an edit of its module: a new version is imported afresh (a query
   * in the URL gives it its own entry in the ESM cache, which never forgets a module), while executions
   * still on an older version keep calling the module they started with.
   */
  async load(ref: HandlerRef, version = 0): Promise<LambdaHandler> {
    const key = `${ref.file}#${version}`;
    let module = this.modules.get(key);
    if (!module) {
      module = import(moduleUrl(ref.file, version)) as Promise<Record<string, unknown>>;
      this.modules.set(key, module);
      module.catch(() => this.modules.delete(key));
    }
    let exports: Record<string, unknown>;
    try {
      exports = await module;
    } catch (error) {
      throw new LambdaTaskError({
        errorType: 'Runtime.ImportModuleError',
        errorMessage: `Error: Cannot load ${ref.file}: ${error instanceof Error ? error.message : String(error)}`,
        trace: [],
      });
    }
    const handler = exports[ref.exportName];
    if (typeof handler !== 'function') {
      throw new LambdaTaskError({
        errorType: 'Runtime.HandlerNotFound',
        errorMessage: `${ref.file}#${ref.exportName} is undefined or not exported`,
        trace: [],
      });
    }
    return handler as LambdaHandler;
  }
}

/** The URL a version of a module is imported from. */
export function moduleUrl(file: string, version = 0): string {
  const href = pathToFileURL(file).href;
  return version === 0 ? href : `${href}?stepflow-reload=${version}`;
}
