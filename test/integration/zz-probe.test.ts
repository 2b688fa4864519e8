import { it } from 'vitest';
import { callApi, startFidelityGateway } from '../helpers/lambda-fidelity.js';
import { PNG_HEX } from './zz-png.js';

it('probe', async () => {
  const gw = await startFidelityGateway(
    [
      { name: 'express', handler: 'express-app.handler', environment: { NODE_ENV: 'production' } },
      { name: 'express-text', handler: 'express-app.textOnly', environment: { NODE_ENV: 'production' } },
      { name: 'express-base', handler: 'express-app.devBasePath', environment: { NODE_ENV: 'production' } },
      { name: 'hono', handler: 'hono-app.handler' },
      { name: 'fastify', handler: 'fastify-app.handler' },
      { name: 'fastify-retain', handler: 'fastify-app.retainStage' },
    ],
    ['express', 'express-text', 'express-base', 'hono', 'fastify', 'fastify-retain'].flatMap((f) => [
      { apiId: `${f}-v2`, functionName: f, payloadFormatVersion: '2.0' as const },
      { apiId: `${f}-v1`, functionName: f, payloadFormatVersion: '1.0' as const },
    ]),
  );
  const only = process.env.ONLY?.split(',') ?? ['express', 'hono', 'fastify'];
  try {
    for (const f of only) {
      for (const v of ['v2', 'v1']) {
        const apiId = `${f}-${v}`;
        const calls = JSON.parse(process.env.CALLS ?? '[]') as Array<Record<string, never>>;
        for (const c0 of calls) {
          const c = { ...c0 } as Record<string, unknown>;
          if (c.bodyHex) c.body = Buffer.from(c.bodyHex as string, 'hex');
          try {
            const r = await callApi(gw, { apiId, ...(c as { path: string }) });
            console.log(`### ${apiId} ${(c.method as string) ?? 'GET'} ${(c.stage as string) ?? ''}${c.path as string} ${c.style ?? ''} -> ${r.status}\n${JSON.stringify(r.rawHeaders)}\n${(c.path as string).endsWith('.png') ? r.body.toString('hex') : r.text()}`);
          } catch (err) {
            console.log(`### ${apiId} ${c.path as string} ERROR ${String(err)}`);
          }
        }
      }
    }
  } finally {
    await gw.close();
  }
}, 120_000);
