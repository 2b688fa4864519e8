import { afterEach, describe, expect, it } from 'vitest';
import { GatewayError } from '../errors/index.js';
import { api, deployment, domain, integration, route, stage } from './contract-fixtures.js';
import { functionsContract } from './contract-functions.js';
import { transactionsContract } from './contract-transactions.js';
import type { Store } from './store.port.js';

/** How the contract gets stores: `open` a fresh empty one, `reopen` the same data after close. */
export interface StoreFactory {
  open(): Store;
  /** Closes `store` and opens its data again (persistent adapters only). */
  reopen?(store: Store): Promise<Store>;
}

/** Tracks the stores a suite opened so each test closes them. */
export interface ContractContext {
  open(): Store;
  reopen?(store: Store): Promise<Store>;
}

/** The behaviour every Store adapter must have. Run it once per adapter. */
export function runStoreContract(name: string, factory: StoreFactory): void {
  const opened: Store[] = [];
  const ctx: ContractContext = {
    open: () => {
      const store = factory.open();
      opened.push(store);
      return store;
    },
    ...(factory.reopen === undefined
      ? {}
      : {
          reopen: async (store: Store) => {
            const next = await (factory.reopen as (s: Store) => Promise<Store>)(store);
            opened.push(next);
            return next;
          },
        }),
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  describe(`${name}: store contract`, () => {
    apisContract(ctx);
    domainNamesContract(ctx);
    functionsContract(ctx);
    transactionsContract(ctx);
    if (ctx.reopen) persistenceContract(ctx);
  });
}

function apisContract(ctx: ContractContext): void {
  describe('apis', () => {
    it('stores an API with its children and returns an equal copy', async () => {
      const store = ctx.open();
      expect(await store.apis.get('api1')).toBeUndefined();
      await store.apis.put(api('api1'));
      const got = await store.apis.get('api1');
      expect(got).toEqual(api('api1'));
      // Returned objects are copies: mutating one changes nothing stored.
      (got as { name: string }).name = 'changed';
      got?.routes.pop();
      expect(await store.apis.get('api1')).toEqual(api('api1'));
    });

    it('put replaces child sets, keeping the creation order of children that stay', async () => {
      const store = ctx.open();
      await store.apis.put(api('api1', { routes: [route('r1'), route('r2'), route('r3')] }));
      await store.apis.put(
        api('api1', { name: 'renamed', routes: [route('r4'), route('r3', 'GET /changed'), route('r1')] }),
      );
      const got = await store.apis.get('api1');
      expect(got?.name).toBe('renamed');
      expect(got?.routes).toEqual([route('r1'), route('r3', 'GET /changed'), route('r4')]);
    });

    it('putHeader changes API fields only and needs an existing API', async () => {
      const store = ctx.open();
      await store.apis.put(api('api1'));
      const {
        routes: _r,
        integrations: _i,
        authorizers: _a,
        stages: _s,
        deployments: _d,
        ...header
      } = api('api1');
      await store.apis.putHeader({ ...header, description: 'new' });
      expect(await store.apis.get('api1')).toEqual({ ...api('api1'), description: 'new' });
      const err = await store.apis.putHeader({ ...header, apiId: 'nope' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GatewayError);
      expect((err as GatewayError).status).toBe(404);
      expect(await store.apis.get('nope')).toBeUndefined();
    });

    it('delete removes the API and its children; recreating starts empty', async () => {
      const store = ctx.open();
      await store.apis.put(api('api1'));
      expect(await store.apis.delete('api1')).toBe(true);
      expect(await store.apis.delete('api1')).toBe(false);
      expect(await store.apis.get('api1')).toBeUndefined();
      expect(await store.apis.getChild('api1', 'routes', 'r1')).toBeUndefined();
      await store.apis.put(api('api1', { routes: [], stages: [], deployments: [] }));
      expect((await store.apis.listChildren('api1', 'routes')).items).toEqual([]);
    });

    it('lists in creation order; updates keep their place, re-creation moves to the end', async () => {
      const store = ctx.open();
      for (const id of ['b', 'a', 'c']) await store.apis.put(api(id));
      await store.apis.put(api('b', { name: 'updated' }));
      expect((await store.apis.list()).items.map((a) => a.apiId)).toEqual(['b', 'a', 'c']);
      await store.apis.delete('b');
      await store.apis.put(api('b'));
      const all = await store.apis.list();
      expect(all.items.map((a) => a.apiId)).toEqual(['a', 'c', 'b']);
      expect(all.nextToken).toBeUndefined();
      expect(all.items[0]).toEqual(api('a'));
    });

    it('paginates with maxItems and nextToken, and rejects bad tokens', async () => {
      const store = ctx.open();
      for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await store.apis.put(api(id));
      const p1 = await store.apis.list({ maxItems: 2 });
      expect(p1.items.map((a) => a.apiId)).toEqual(['a1', 'a2']);
      expect(typeof p1.nextToken).toBe('string');
      // An item deleted between pages does not shift the next page (keyset cursor).
      await store.apis.delete('a2');
      const p2 = await store.apis.list({ maxItems: 2, nextToken: p1.nextToken as string });
      expect(p2.items.map((a) => a.apiId)).toEqual(['a3', 'a4']);
      const p3 = await store.apis.list({ maxItems: 2, nextToken: p2.nextToken as string });
      expect(p3.items.map((a) => a.apiId)).toEqual(['a5']);
      expect(p3.nextToken).toBeUndefined();
      const exact = await store.apis.list({ maxItems: 4 });
      expect(exact.items.length).toBe(4);
      expect(exact.nextToken).toBeUndefined();
      for (const bad of [{ nextToken: 'garbage' }, { maxItems: 0 }, { maxItems: 1.5 }]) {
        const err = await store.apis.list(bad).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(GatewayError);
        expect((err as GatewayError).status).toBe(400);
      }
    });

    it('reads, writes, deletes and pages single children', async () => {
      const store = ctx.open();
      await store.apis.put(api('api1', { integrations: [] }));
      for (const id of ['i1', 'i2', 'i3']) await store.apis.putChild('api1', 'integrations', integration(id));
      await store.apis.putChild('api1', 'integrations', { ...integration('i1'), timeoutInMillis: 500 });
      expect(await store.apis.getChild('api1', 'integrations', 'i1')).toEqual({
        ...integration('i1'),
        timeoutInMillis: 500,
      });
      expect(await store.apis.getChild('api1', 'integrations', 'zz')).toBeUndefined();
      // Same id in another collection is another child.
      expect(await store.apis.getChild('api1', 'routes', 'i1')).toBeUndefined();
      const p1 = await store.apis.listChildren('api1', 'integrations', { maxItems: 2 });
      expect(p1.items.map((i) => i.integrationId)).toEqual(['i1', 'i2']);
      const p2 = await store.apis.listChildren('api1', 'integrations', {
        maxItems: 2,
        nextToken: p1.nextToken as string,
      });
      expect(p2).toEqual({ items: [integration('i3')] });
      expect(await store.apis.deleteChild('api1', 'integrations', 'i2')).toBe(true);
      expect(await store.apis.deleteChild('api1', 'integrations', 'i2')).toBe(false);
      expect((await store.apis.get('api1'))?.integrations.map((i) => i.integrationId)).toEqual(['i1', 'i3']);
      await store.apis.putChild('api1', 'stages', stage('prod', 'd2'));
      await store.apis.putChild('api1', 'deployments', deployment('d2', [route('r9')]));
      const got = await store.apis.get('api1');
      expect(got?.stages).toEqual([stage('$default', 'd1'), stage('prod', 'd2')]);
      expect(got?.deployments).toEqual([deployment('d1', [route('r1')]), deployment('d2', [route('r9')])]);
      const err = await store.apis.putChild('missing', 'routes', route('r1')).catch((e: unknown) => e);
      expect((err as GatewayError).status).toBe(404);
      expect(await store.apis.listChildren('missing', 'routes')).toEqual({ items: [] });
    });
  });
}

function domainNamesContract(ctx: ContractContext): void {
  describe('domain names', () => {
    it('stores domains with mappings, lists in creation order, cascades on delete', async () => {
      const store = ctx.open();
      expect(await store.domainNames.get('a.example')).toBeUndefined();
      await store.domainNames.put(domain('b.example'));
      await store.domainNames.put(domain('a.example', 'api2'));
      expect(await store.domainNames.get('b.example')).toEqual(domain('b.example'));
      const list = await store.domainNames.list({ maxItems: 1 });
      expect(list.items).toEqual([domain('b.example')]);
      const rest = await store.domainNames.list({ nextToken: list.nextToken as string });
      expect(rest).toEqual({ items: [domain('a.example', 'api2')] });
      expect(await store.domainNames.delete('b.example')).toBe(true);
      expect(await store.domainNames.delete('b.example')).toBe(false);
      expect(await store.domainNames.getMapping('b.example', 'm-b.example')).toBeUndefined();
      expect(await store.domainNames.listMappingsForApi('api1')).toEqual([]);
    });

    it('manages single mappings and finds them by API', async () => {
      const store = ctx.open();
      await store.domainNames.put(domain('a.example'));
      const m2 = { apiMappingId: 'm2', apiId: 'api2', stage: 'prod', apiMappingKey: 'v2/orders' };
      const m3 = { apiMappingId: 'm3', apiId: 'api1', stage: 'prod', apiMappingKey: 'v3' };
      await store.domainNames.putMapping('a.example', m2);
      await store.domainNames.putMapping('a.example', m3);
      await store.domainNames.putMapping('a.example', { ...m2, stage: 'beta' });
      expect(await store.domainNames.getMapping('a.example', 'm2')).toEqual({ ...m2, stage: 'beta' });
      const page = await store.domainNames.listMappings('a.example', { maxItems: 2 });
      expect(page.items.map((m) => m.apiMappingId)).toEqual(['m-a.example', 'm2']);
      expect(
        (await store.domainNames.listMappings('a.example', { nextToken: page.nextToken as string })).items,
      ).toEqual([m3]);
      expect(await store.domainNames.listMappingsForApi('api1')).toEqual([
        { domainName: 'a.example', mapping: domain('a.example').apiMappings[0] },
        { domainName: 'a.example', mapping: m3 },
      ]);
      expect(await store.domainNames.deleteMapping('a.example', 'm3')).toBe(true);
      expect(await store.domainNames.deleteMapping('a.example', 'm3')).toBe(false);
      // put replaces the mapping set.
      await store.domainNames.put({ ...domain('a.example'), apiMappings: [{ ...m2, stage: 'beta' }] });
      expect((await store.domainNames.get('a.example'))?.apiMappings).toEqual([{ ...m2, stage: 'beta' }]);
      const err = await store.domainNames.putMapping('none.example', m2).catch((e: unknown) => e);
      expect((err as GatewayError).status).toBe(404);
    });
  });
}

function persistenceContract(ctx: ContractContext): void {
  describe('persistence', () => {
    it('keeps every aggregate, the order and the version counter across close and reopen', async () => {
      const reopen = ctx.reopen as (s: Store) => Promise<Store>;
      const store = ctx.open();
      await store.apis.put(api('p2'));
      await store.apis.put(api('p1'));
      await store.domainNames.put(domain('p.example', 'p1'));
      const ref = await store.code.put(Buffer.from('zip-bytes'));
      await store.functions.put({
        functionName: 'f',
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        codeDir: '/x',
        timeout: 3,
        memorySize: 128,
        environment: {},
        source: 'api',
        codeSha256: ref.sha256,
        codeSize: ref.size,
      });
      const published = await store.versions.publish('f', {
        config: (await store.functions.get('f')) as NonNullable<
          Awaited<ReturnType<typeof store.functions.get>>
        >,
        code: ref,
        revisionId: 'r',
        lastModified: '2024-05-01T00:00:00.000+0000',
      });
      await store.policies.put('f', undefined, { statements: [{ Sid: 's1' }], revisionId: 'p' });
      const again = await reopen(store);
      expect((await again.apis.list()).items).toEqual([api('p2'), api('p1')]);
      expect(await again.domainNames.get('p.example')).toEqual(domain('p.example', 'p1'));
      expect(await again.code.get(ref.sha256)).toEqual(Buffer.from('zip-bytes'));
      expect(await again.versions.get('f', '1')).toEqual(published);
      expect(await again.policies.get('f')).toEqual({ statements: [{ Sid: 's1' }], revisionId: 'p' });
      await again.versions.delete('f', '1');
      const { version: _v, ...draft } = published;
      const next = await again.versions.publish('f', draft);
      expect(next.version).toBe('2');
    });
  });
}
