import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminRoute } from '../../src/control-plane/admin-router.js';
import { createApiGatewayV2Routes } from '../../src/control-plane/apigatewayv2/index.js';
import type { ControlPlaneContext } from '../../src/control-plane/context.js';
import { createInvokeRoutes, createLambdaControlPlane } from '../../src/control-plane/lambda/index.js';
import { startControlPlane, type TestControlPlane } from '../helpers/control-plane.js';

/**
 * One entry per service table of docs/aws-compatibility.md. To add a service (e.g. Lambda), add its
 * `## heading`, the function that builds its admin routes and, when its SDK is installed, the SDK's
 * commands directory so every SDK operation must have a row.
 */
const SERVICES: Array<{
  heading: string;
  build: (ctx: ControlPlaneContext) => AdminRoute[];
  sdkCommandsDir?: string;
}> = [
  {
    heading: 'apigatewayv2',
    build: createApiGatewayV2Routes,
    sdkCommandsDir: 'node_modules/@aws-sdk/client-apigatewayv2/dist-types/commands',
  },
  { heading: 'apigateway', build: () => [] },
  {
    heading: 'Lambda',
    // Portico's own routes (/portico/functions/{name}/code, .../logs) are not AWS operations.
    build: (ctx) =>
      [
        ...createLambdaControlPlane(ctx, { onError: () => undefined }).routes,
        ...createInvokeRoutes(ctx.functions),
      ].filter((r) => !r.path.startsWith('/portico/')),
    sdkCommandsDir: 'node_modules/@aws-sdk/client-lambda/dist-types/commands',
  },
];

const STATUSES = new Set(['supported', 'partial', 'not yet']);

/** The rows (operation -> status) of the table under `## heading`. */
function tableOf(doc: string, heading: string): Map<string, string> {
  const start = doc.indexOf(`\n## ${heading}\n`);
  if (start === -1) throw new Error(`docs/aws-compatibility.md has no section "## ${heading}"`);
  const end = doc.indexOf('\n## ', start + 1);
  const rows = new Map<string, string>();
  for (const line of doc.slice(start, end === -1 ? undefined : end).split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'Operation' || /^-+$/.test(cells[1] ?? '')) continue;
    const [, operation, status] = cells as [string, string, string];
    if (rows.has(operation)) throw new Error(`${heading}: ${operation} is listed twice`);
    rows.set(operation, status);
  }
  return rows;
}

let cp: TestControlPlane;
const doc = readFileSync(new URL('../../docs/aws-compatibility.md', import.meta.url), 'utf8');

beforeAll(async () => {
  cp = await startControlPlane(() => []);
});
afterAll(async () => {
  await cp.close();
});

describe('docs/aws-compatibility.md', () => {
  for (const service of SERVICES) {
    it(`${service.heading}: supported/partial rows are exactly the registered operations`, () => {
      const table = tableOf(doc, service.heading);
      for (const [operation, status] of table) {
        expect(STATUSES.has(status), `${operation}: unknown status "${status}"`).toBe(true);
      }
      const claimed = [...table].filter(([, s]) => s !== 'not yet').map(([op]) => op);
      const registered = [...new Set(service.build(cp.ctx).map((r) => r.operation))];
      expect(claimed.sort()).toEqual(registered.sort());
      if (service.sdkCommandsDir) {
        const sdk = readdirSync(service.sdkCommandsDir)
          .filter((f) => f.endsWith('Command.d.ts'))
          .map((f) => f.slice(0, -'Command.d.ts'.length));
        expect([...table.keys()].sort()).toEqual(sdk.sort());
      }
    });
  }
});
