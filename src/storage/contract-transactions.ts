import { describe, expect, it } from 'vitest';
import type { GatewayError } from '../errors/index.js';
import type { ContractContext } from './contract.js';
import { api, domain, fn, route, versionDraft } from './contract-fixtures.js';

/** Contract of `Store.transaction`: all-or-nothing across aggregates, serialised, nestable. */
export function transactionsContract(ctx: ContractContext): void {
  describe('transactions', () => {
    it('commits writes to several aggregates together and returns the result', async () => {
      const store = ctx.open();
      const result = await store.transaction(async (tx) => {
        await tx.apis.put(api('api1'));
        const ref = await tx.code.put(Buffer.from('zip'));
        await tx.functions.put(fn('f', { codeSha256: ref.sha256 }));
        return (await tx.versions.publish('f', versionDraft(fn('f'), ref.sha256))).version;
      });
      expect(result).toBe('1');
      expect(await store.apis.get('api1')).toEqual(api('api1'));
      expect((await store.functions.get('f'))?.codeSha256).toBe(
        (await store.versions.get('f', '1'))?.code.sha256,
      );
    });

    it('rolls everything back when the function throws, leaving nothing half-written', async () => {
      const store = ctx.open();
      await store.apis.put(api('api1'));
      await store.functions.put(fn('f'));
      const failure = new Error('boom');
      const err = await store
        .transaction(async (tx) => {
          await tx.apis.putChild('api1', 'routes', route('r9'));
          await tx.apis.deleteChild('api1', 'stages', '$default');
          await tx.apis.put(api('api2'));
          await tx.domainNames.put(domain('x.example'));
          await tx.functions.put(fn('f', { timeout: 60 }));
          await tx.versions.publish('f', versionDraft(fn('f'), 'sha'));
          await tx.code.put(Buffer.from('orphan'));
          await tx.functions.delete('f');
          throw failure;
        })
        .catch((e: unknown) => e);
      expect(err).toBe(failure);
      expect(await store.apis.get('api1')).toEqual(api('api1'));
      expect(await store.apis.get('api2')).toBeUndefined();
      expect(await store.domainNames.get('x.example')).toBeUndefined();
      expect(await store.functions.get('f')).toEqual(fn('f'));
      expect(await store.versions.list('f')).toEqual({ items: [] });
      expect(await store.code.prune()).toBe(0);
      // The version counter was rolled back too.
      expect((await store.versions.publish('f', versionDraft(fn('f'), 'sha'))).version).toBe('1');
    });

    it('rolls back when a port operation inside fails (NOT_FOUND)', async () => {
      const store = ctx.open();
      const err = await store
        .transaction(async (tx) => {
          await tx.apis.put(api('api1'));
          await tx.apis.putChild('missing', 'routes', route('r1'));
        })
        .catch((e: unknown) => e);
      expect((err as GatewayError).status).toBe(404);
      expect(await store.apis.list()).toEqual({ items: [] });
    });

    it('a nested transaction is a savepoint: its failure undoes only its own writes', async () => {
      const store = ctx.open();
      await store.transaction(async (tx) => {
        await tx.functions.put(fn('outer'));
        await store
          .transaction(async (inner) => {
            await inner.functions.put(fn('inner'));
            throw new Error('inner');
          })
          .catch(() => undefined);
        await store.transaction(async (inner) => inner.functions.put(fn('inner2')));
      });
      expect((await store.functions.list()).items.map((f) => f.functionName)).toEqual(['outer', 'inner2']);
    });

    it('serialises: a write from outside waits for the running transaction and survives its rollback', async () => {
      const store = ctx.open();
      let release: () => void = () => undefined;
      const gate = new Promise<void>((resolve) => (release = resolve));
      let entered: () => void = () => undefined;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      let outsideDone = false;
      const tx = store.transaction(async (t) => {
        await t.functions.put(fn('in-tx'));
        entered();
        await gate;
        // The outside write has not run: it is neither visible nor part of this transaction.
        expect(outsideDone).toBe(false);
        expect(await t.functions.get('outside')).toBeUndefined();
        // The store itself, called from inside the transaction's async context, joins it.
        expect(await store.functions.get('in-tx')).toEqual(fn('in-tx'));
        throw new Error('rollback');
      });
      await inside;
      // Issued from the test's own async context while the transaction is open.
      const outside = store.functions.put(fn('outside')).then(() => void (outsideDone = true));
      release();
      await expect(tx).rejects.toThrow('rollback');
      await outside;
      expect((await store.functions.list()).items.map((f) => f.functionName)).toEqual(['outside']);
    });

    it('runs queued transactions one after another in call order', async () => {
      const store = ctx.open();
      const order: string[] = [];
      await Promise.all(
        ['t1', 't2', 't3'].map((name) =>
          store.transaction(async (tx) => {
            order.push(`${name}:start`);
            await tx.functions.put(fn(name));
            await new Promise((resolve) => setImmediate(resolve));
            order.push(`${name}:end`);
          }),
        ),
      );
      expect(order).toEqual(['t1:start', 't1:end', 't2:start', 't2:end', 't3:start', 't3:end']);
    });

    it('rejects operations after close', async () => {
      const store = ctx.open();
      await store.close();
      await expect(store.apis.get('x')).rejects.toThrow('store is closed');
      await expect(store.transaction(async () => 1)).rejects.toThrow('store is closed');
    });
  });
}
