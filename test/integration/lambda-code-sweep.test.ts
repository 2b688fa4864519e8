import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DeleteFunctionCommand,
  InvokeCommand,
  PublishVersionCommand,
  UpdateFunctionCodeCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { codeDirFor, prepareCode } from '../../dist/functions/index.js';
import { fn, json } from '../helpers/functions.js';
import {
  handlerZip,
  startLambdaServer,
  tempDataDir,
  type LambdaTestServer,
  codeSha256,
  createFunction,
} from '../helpers/lambda-control-plane.js';

// Unpacked code that nothing uses any more is removed from disk when Portico starts again.
const data = tempDataDir();
let server: LambdaTestServer | undefined;

afterAll(async () => {
  await server?.close();
  data.cleanup();
});

const dirName = (zip: Uint8Array): string =>
  codeDirFor(data.dir, codeSha256(zip)).split('/').at(-1) as string;

async function tagOf(client: LambdaClient, name: string, qualifier?: string): Promise<unknown> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}'), Qualifier: qualifier }),
  );
  expect(out.FunctionError).toBeUndefined();
  return (json(out.Payload) as { tag: unknown }).tag;
}

describe('unused function code on disk', () => {
  const published = handlerZip('published');
  const replaced = handlerZip('replaced');
  const latest = handlerZip('latest');
  const deleted = handlerZip('deleted');
  const fromConfig = handlerZip('config');

  it('is removed at start; code of $LATEST, published versions and config functions stays', async () => {
    // A config-file function whose code is a zip: unpacked into the same directory tree.
    const zipPath = join(data.dir, 'config-fn.zip');
    writeFileSync(zipPath, fromConfig);
    const configFunctions = [fn('from-config', prepareCode(zipPath, data.dir), 'index.handler')];

    server = await startLambdaServer({ dataDir: data.dir, configFunctions });
    const create = (name: string, zip: Uint8Array) =>
      createFunction((server as LambdaTestServer).client, name, { Code: { ZipFile: zip } });
    await create('f', published);
    await server.client.send(new PublishVersionCommand({ FunctionName: 'f' }));
    await server.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'f', ZipFile: replaced }));
    await server.client.send(new UpdateFunctionCodeCommand({ FunctionName: 'f', ZipFile: latest }));
    await create('g', deleted);
    await server.client.send(new DeleteFunctionCommand({ FunctionName: 'g' }));
    const codeRoot = join(data.dir, 'code');
    const all = [published, replaced, latest, deleted, fromConfig].map(dirName).sort();
    expect(readdirSync(codeRoot).sort()).toEqual(all);
    await server.close();

    // Something that is not an unpacked package is left alone.
    writeFileSync(join(codeRoot, 'notes.txt'), 'mine');
    server = await startLambdaServer({ dataDir: data.dir, configFunctions });
    // Operations wait for the start's refresh and sweep.
    expect(await tagOf(server.client, 'f')).toBe('latest');
    expect(readdirSync(codeRoot).sort()).toEqual(
      [published, latest, fromConfig].map(dirName).concat('notes.txt').sort(),
    );
    expect(existsSync(codeDirFor(data.dir, codeSha256(replaced)))).toBe(false);
    expect(existsSync(codeDirFor(data.dir, codeSha256(deleted)))).toBe(false);
    expect(await tagOf(server.client, 'f', '1')).toBe('published');
    expect(await tagOf(server.client, 'from-config')).toBe('config');
    expect(server.errors).toEqual([]);
  });
});
