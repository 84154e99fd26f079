import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { workflowMermaid } from '../../core/compiler/mermaid.ts';
import type { WorkflowPlan } from '../../core/compiler/plan.ts';
import { loadDefinition } from '../../project/definition-files.ts';

/** The console's sources, `console/` at the package root: two folders up in the sources, three in dist/. */
const ENTRY = ['../../console/main.ts', '../../../console/main.ts'].map((p) => fileURLToPath(new URL(p, import.meta.url))).find((f) => existsSync(f));

export interface ConsoleAssets {
  /** Answers `GET /`, `/console/app.js` and `/console/graphs.json`; false for any other request. */
  serve(req: IncomingMessage, res: ServerResponse): boolean;
  /** Bytes of the bundle (before compression). */
  readonly bundleBytes: number;
}

const PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>stepflow console</title><link rel="stylesheet" href="/console/app.css"></head>
<body><div id="app"></div><script type="module" src="/console/app.js"></script></body></html>`;

/**
 * The web console: its sources bundled once by esbuild (Preact and htm included, nothing fetched from
 * the internet) and the workflows' Mermaid graphs, served beside the API by the dev stack.
 */
export async function buildConsoleAssets(plans: readonly WorkflowPlan[]): Promise<ConsoleAssets> {
  const { build } = await import('esbuild');
  let js = 'document.body.textContent = "the console sources are not part of this installation";';
  let css = '';
  if (ENTRY) {
    const result = await build({ entryPoints: [ENTRY], bundle: true, minify: true, format: 'esm', target: 'es2022', write: false, outdir: 'out', loader: { '.css': 'css' } });
    js = result.outputFiles.find((f) => f.path.endsWith('.js'))?.text ?? js;
    css = result.outputFiles.find((f) => f.path.endsWith('.css'))?.text ?? '';
  }
  const graphs = JSON.stringify(Object.fromEntries(plans.flatMap((plan) => {
    const { definition } = loadDefinition(plan.file);
    return definition ? [[plan.name, workflowMermaid(definition)]] : [];
  })));
  const files: Record<string, readonly [string, string]> = {
    '/': ['text/html; charset=utf-8', PAGE],
    '/console/app.js': ['text/javascript; charset=utf-8', js],
    '/console/app.css': ['text/css; charset=utf-8', css],
    '/console/graphs.json': ['application/json', graphs],
  };
  return {
    bundleBytes: Buffer.byteLength(js) + Buffer.byteLength(css),
    serve(req, res) {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      const file = req.method === 'GET' && Object.hasOwn(files, path) ? files[path] : undefined;
      if (!file) return false;
      res.writeHead(200, { 'content-type': file[0], 'content-length': String(Buffer.byteLength(file[1])), 'cache-control': 'no-cache' });
      res.end(file[1]);
      return true;
    },
  };
}
