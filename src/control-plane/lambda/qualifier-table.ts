import type { QualifierResolver } from '../../functions/index.js';
import type { FunctionDef } from '../../model/types.js';
import { listAll, type AliasDef, type Store } from '../../storage/index.js';

interface FunctionQualifiers {
  versions: Map<string, FunctionDef>;
  aliases: Map<string, AliasDef>;
}

/**
 * The in-memory copy of published versions and aliases that the runtime's (synchronous) qualifier
 * hook reads on every qualified invoke. Rebuilt from the store after each committed change.
 */
export class QualifierTable {
  #byFunction = new Map<string, FunctionQualifiers>();
  readonly #latest: (name: string) => FunctionDef | undefined;
  readonly #random: () => number;

  /** `latest` answers aliases that point at `$LATEST`; `random` picks weighted alias routes. */
  constructor(latest: (name: string) => FunctionDef | undefined, random: () => number = Math.random) {
    this.#latest = latest;
    this.#random = random;
  }

  /** The resolver to install with `setQualifierResolver`. */
  readonly resolve: QualifierResolver = (functionName, qualifier) => {
    const fq = this.#byFunction.get(functionName);
    if (fq === undefined) return undefined;
    const version = fq.versions.get(qualifier);
    if (version !== undefined) return { def: version, version: qualifier };
    const alias = fq.aliases.get(qualifier);
    if (alias === undefined) return undefined;
    const target = this.#route(alias);
    if (target === '$LATEST') {
      const def = this.#latest(functionName);
      return def === undefined ? undefined : { def, version: '$LATEST' };
    }
    const def = fq.versions.get(target);
    return def === undefined ? undefined : { def, version: target };
  };

  /** Weighted alias routing: the additional version gets its weight's share of invocations. */
  #route(alias: AliasDef): string {
    const weights = alias.routingConfig?.additionalVersionWeights ?? {};
    let roll = this.#random();
    for (const [version, weight] of Object.entries(weights)) {
      if (roll < weight) return version;
      roll -= weight;
    }
    return alias.functionVersion;
  }

  /** Reloads every stored function's versions and aliases; `codeDirOf` places each version's code. */
  async load(store: Store, codeDirOf: (sha256: string) => string): Promise<void> {
    const next = new Map<string, FunctionQualifiers>();
    for (const fn of await listAll((p) => store.functions.list(p))) {
      const versions = new Map<string, FunctionDef>();
      for (const v of await listAll((p) => store.versions.list(fn.functionName, p)))
        versions.set(v.version, { ...v.config, codeDir: codeDirOf(v.code.sha256) });
      const aliases = new Map<string, AliasDef>();
      for (const a of await listAll((p) => store.aliases.list(fn.functionName, p))) aliases.set(a.name, a);
      next.set(fn.functionName, { versions, aliases });
    }
    this.#byFunction = next;
  }
}
