import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portIsFree, REPO_ROOT, spawnNode, waitForStart, type Spawned } from '../helpers/cli.js';
import { requireBuild } from '../helpers/gateway.js';
import { send, REQUEST_ID } from '../helpers/http-client.js';

describe('examples/quickstart (npm start)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portico-quickstart-'));
  let p: Spawned | undefined;

  afterAll(async () => {
    await p?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts, and every URL it prints answers', async (ctx) => {
    requireBuild();
    // The example's pets service listens on 127.0.0.1:3000 (its portico.yaml points there).
    if (!(await portIsFree(3000))) {
      ctx.skip('port 3000 is in use on this machine');
      return;
    }
    p = spawnNode(join(REPO_ROOT, 'examples/quickstart/run.js'), [
      '--port',
      '0',
      '--admin-port',
      '0',
      '--data-dir',
      join(dir, 'data'),
    ]);
    const { dataUrl, adminUrl } = await waitForStart(p, 20_000);
    expect((await send(`${adminUrl}/health`)).status).toBe(200);
    // The URLs follow the "serving" line; the last one is the prod stage's greedy route.
    await p.waitForStderr(/try: curl \S+\/prod\/any\/path\n/);
    const urls = [...p.stderr().matchAll(/^ {2}try: curl (\S+)$/gm)].map((m) => m[1] as string);
    expect(urls.length).toBeGreaterThanOrEqual(4);
    for (const url of urls) {
      expect(url.startsWith(`${dataUrl}/`)).toBe(true);
      const res = await send(url);
      expect(res.status, `${url}: ${res.body}`).toBe(200);
      expect(res.headers['apigw-requestid']).toMatch(REQUEST_ID);
    }
    // The documented calls return the example's data.
    const pets = await send(`${dataUrl}/_aws/execute-api/petstore/pets`);
    expect(JSON.parse(pets.body)).toEqual([
      { id: 1, name: 'Rex', type: 'dog' },
      { id: 2, name: 'Tom', type: 'cat' },
    ]);
    const pet = await send(`${dataUrl}/_aws/execute-api/petstore/prod/pets/2`);
    expect(JSON.parse(pet.body)).toEqual({ id: 2, name: 'Tom', type: 'cat', servedFor: 'prod' });
    p.child.kill('SIGTERM');
    expect(await p.exited).toEqual({ code: 0, signal: null });
  });
});
