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

  async load(ref: HandlerRef): Promise<LambdaHandler> {
    let module = this.modules.get(ref.file);
    if (!module) {
      module = import(pathToFileURL(ref.file).href) as Promise<Record<string, unknown>>;
      this.modules.set(ref.file, module);
      module.catch(() => this.modules.delete(ref.file));
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
