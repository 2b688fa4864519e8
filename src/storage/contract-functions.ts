import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors/index.js';
import type { ContractContext } from './contract.js';
import { alias, fn, versionDraft } from './contract-fixtures.js';

/** Contract of the function aggregate: functions, versions, aliases, policies and code packages. */
export function functionsContract(ctx: ContractContext): void {
  describe('functions', () => {
    it('puts, gets, lists in creation order and deletes functions', async () => {
      const store = ctx.open();
      expect(await store.functions.get('f1')).toBeUndefined();
      for (const name of ['f2', 'f1', 'f3']) await store.functions.put(fn(name));
      await store.functions.put(fn('f2', { timeout: 30 }));
      expect(await store.functions.get('f2')).toEqual(fn('f2', { timeout: 30 }));
      const p1 = await store.functions.list({ maxItems: 2 });
      expect(p1.items).toEqual([fn('f2', { timeout: 30 }), fn('f1')]);
      expect(await store.functions.list({ nextToken: p1.nextToken as string })).toEqual({
        items: [fn('f3')],
      });
      expect(await store.functions.delete('f1')).toBe(true);
      expect(await store.functions.delete('f1')).toBe(false);
      expect((await store.functions.list()).items.map((f) => f.functionName)).toEqual(['f2', 'f3']);
    });

    it('numbers versions 1, 2, 3 and never reuses a number, even after delete or put', async () => {
      const store = ctx.open();
      await store.functions.put(fn('f'));
      const v1 = await store.versions.publish('f', versionDraft(fn('f'), 'sha-a'));
      expect(v1).toEqual({ ...versionDraft(fn('f'), 'sha-a'), version: '1' });
      const v2 = await store.versions.publish('f', versionDraft(fn('f', { timeout: 9 }), 'sha-b'));
      expect(v2.version).toBe('2');
      expect(await store.versions.delete('f', '2')).toBe(true);
      expect(await store.versions.delete('f', '2')).toBe(false);
      await store.functions.put(fn('f', { memorySize: 256 }));
      const v3 = await store.versions.publish('f', versionDraft(fn('f'), 'sha-c'));
      expect(v3.version).toBe('3');
      expect(await store.versions.get('f', '1')).toEqual(v1);
      expect(await store.versions.get('f', '2')).toBeUndefined();
      const page = await store.versions.list('f', { maxItems: 1 });
      expect(page.items).toEqual([v1]);
      expect(await store.versions.list('f', { nextToken: page.nextToken as string })).toEqual({
        items: [v3],
      });
      const err = await store.versions
        .publish('nope', versionDraft(fn('nope'), 'x'))
        .catch((e: unknown) => e);
      expect((err as GatewayError).status).toBe(404);
      expect(await store.versions.list('nope')).toEqual({ items: [] });
    });

    it('keeps aliases and policies per function and qualifier', async () => {
      const store = ctx.open();
      await store.functions.put(fn('f'));
      await store.aliases.put('f', alias('live', '1'));
      await store.aliases.put('f', alias('beta', '$LATEST'));
      await store.aliases.put('f', { ...alias('live', '2'), revisionId: 'r2' });
      expect(await store.aliases.get('f', 'live')).toEqual({ ...alias('live', '2'), revisionId: 'r2' });
      expect(await store.aliases.get('f', 'none')).toBeUndefined();
      const page = await store.aliases.list('f', { maxItems: 1 });
      expect(page.items.map((a) => a.name)).toEqual(['live']);
      expect((await store.aliases.list('f', { nextToken: page.nextToken as string })).items).toEqual([
        alias('beta', '$LATEST'),
      ]);
      expect(await store.aliases.delete('f', 'beta')).toBe(true);
      expect(await store.aliases.delete('f', 'beta')).toBe(false);

      const fnPolicy = {
        statements: [{ Sid: 'apigw', Effect: 'Allow', Action: 'lambda:InvokeFunction' }],
        revisionId: 'p1',
      };
      const livePolicy = {
        statements: [{ Sid: 'live', Principal: { Service: 'apigateway.amazonaws.com' } }],
        revisionId: 'p2',
      };
      await store.policies.put('f', undefined, fnPolicy);
      await store.policies.put('f', 'live', livePolicy);
      expect(await store.policies.get('f')).toEqual(fnPolicy);
      expect(await store.policies.get('f', 'live')).toEqual(livePolicy);
      expect(await store.policies.get('f', '1')).toBeUndefined();
      expect(await store.policies.delete('f', 'live')).toBe(true);
      expect(await store.policies.delete('f', 'live')).toBe(false);
      expect(await store.policies.get('f')).toEqual(fnPolicy);

      for (const write of [
        () => store.aliases.put('nope', alias('a', '1')),
        () => store.policies.put('nope', undefined, fnPolicy),
      ]) {
        const err = await write().catch((e: unknown) => e);
        expect((err as GatewayError).status).toBe(404);
      }
    });

    it('deleting a function removes its versions, aliases and policies; re-creation restarts at 1', async () => {
      const store = ctx.open();
      await store.functions.put(fn('f'));
      await store.versions.publish('f', versionDraft(fn('f'), 'sha-a'));
      await store.aliases.put('f', alias('live', '1'));
      await store.policies.put('f', undefined, { statements: [], revisionId: 'p' });
      await store.functions.put(fn('g'));
      await store.aliases.put('g', alias('live', '$LATEST'));
      expect(await store.functions.delete('f')).toBe(true);
      expect(await store.versions.get('f', '1')).toBeUndefined();
      expect(await store.aliases.get('f', 'live')).toBeUndefined();
      expect(await store.policies.get('f')).toBeUndefined();
      expect(await store.aliases.get('g', 'live')).toEqual(alias('live', '$LATEST'));
      await store.functions.put(fn('f'));
      expect((await store.versions.publish('f', versionDraft(fn('f'), 'sha-a'))).version).toBe('1');
      expect(await store.aliases.list('f')).toEqual({ items: [] });
    });
  });

  describe('code packages', () => {
    it('stores zips by content with the Lambda CodeSha256 and size', async () => {
      const store = ctx.open();
      const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0xff]);
      const ref = await store.code.put(zip);
      expect(ref).toEqual({ sha256: createHash('sha256').update(zip).digest('base64'), size: 6 });
      expect(await store.code.put(Buffer.from(zip))).toEqual(ref);
      const got = await store.code.get(ref.sha256);
      expect(Buffer.isBuffer(got)).toBe(true);
      expect(got?.equals(zip)).toBe(true);
      expect(await store.code.get('missing')).toBeUndefined();
    });

    it('prune drops only packages no function or version references', async () => {
      const store = ctx.open();
      const [a, b, c] = await Promise.all(['a', 'b', 'c'].map((s) => store.code.put(Buffer.from(s))));
      if (!a || !b || !c) throw new Error('unreachable');
      await store.functions.put(fn('f', { codeSha256: a.sha256, codeSize: a.size }));
      await store.versions.publish('f', versionDraft(fn('f'), b.sha256));
      expect(await store.code.prune()).toBe(1);
      expect(await store.code.get(c.sha256)).toBeUndefined();
      expect(await store.code.get(a.sha256)).toEqual(Buffer.from('a'));
      expect(await store.code.get(b.sha256)).toEqual(Buffer.from('b'));
      await store.functions.delete('f');
      expect(await store.code.prune()).toBe(2);
      expect(await store.code.prune()).toBe(0);
    });
  });
}
