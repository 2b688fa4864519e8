// Build step after `tsc`: the Node execution environment's entry script (dist/functions/
// node-env-entry.js) bundled into one file in place. Every environment, child process or worker
// thread, starts by loading it; one module instead of the dozen it imports saves 6-18 ms of each
// cold start (docs/functions.md, *Cold starts*). The source map chains to the TypeScript sources.
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../dist/functions/node-env-entry.js', import.meta.url));

await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
