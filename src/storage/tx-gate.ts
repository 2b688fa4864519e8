import { AsyncLocalStorage } from 'node:async_hooks';

/** How an adapter opens, commits and rolls back a transaction level (0 = outermost, >0 = savepoint). */
export interface TxHooks {
  begin(depth: number): void;
  commit(depth: number): void;
  rollback(depth: number): void;
}

interface TxContext {
  owner: object;
  depth: number;
}

/**
 * Serialises transactions of one store. Both adapters run on one connection (SQLite) or one heap
 * (memory), so while a transaction awaits, another caller's write must not slip into it: such writes
 * wait at the gate. Code running inside the transaction's async context passes straight through
 * (AsyncLocalStorage), so calling the store from within `fn` joins the transaction instead of
 * deadlocking on it.
 */
export class TxGate {
  readonly #hooks: TxHooks;
  readonly #als = new AsyncLocalStorage<TxContext>();
  #owner: object | undefined;
  #waiters: Array<() => void> = [];

  constructor(hooks: TxHooks) {
    this.#hooks = hooks;
  }

  /** Runs one synchronous storage operation, after the running transaction if another caller owns it. */
  async run<T>(op: () => T): Promise<T> {
    if (this.#owner === undefined || this.#als.getStore()?.owner === this.#owner) return op();
    await this.#acquire();
    try {
      return op();
    } finally {
      this.#release();
    }
  }

  /** Runs `fn` as a transaction (or as a savepoint when already inside one). */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const ctx = this.#als.getStore();
    if (ctx !== undefined && ctx.owner === this.#owner) {
      return this.#level({ owner: ctx.owner, depth: ctx.depth + 1 }, fn);
    }
    await this.#acquire();
    const owner = {};
    this.#owner = owner;
    try {
      return await this.#level({ owner, depth: 0 }, fn);
    } finally {
      this.#release();
    }
  }

  /** Resolves once no transaction is running (used by close). */
  async drain(): Promise<void> {
    await this.#acquire();
    this.#release();
  }

  async #level<T>(ctx: TxContext, fn: () => Promise<T>): Promise<T> {
    this.#hooks.begin(ctx.depth);
    let result: T;
    try {
      result = await this.#als.run(ctx, fn);
    } catch (err) {
      this.#hooks.rollback(ctx.depth);
      throw err;
    }
    try {
      this.#hooks.commit(ctx.depth);
    } catch (err) {
      this.#hooks.rollback(ctx.depth);
      throw err;
    }
    return result;
  }

  #locked = false;

  async #acquire(): Promise<void> {
    if (!this.#locked) {
      this.#locked = true;
      return;
    }
    // The lock is handed over directly in #release, so it never looks free while callers queue.
    await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  #release(): void {
    this.#owner = undefined;
    const next = this.#waiters.shift();
    if (next) next();
    else this.#locked = false;
  }
}
