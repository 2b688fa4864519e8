import type { ApisPort } from './apis.port.js';
import type { CodePort } from './code.port.js';
import type { DomainNamesPort } from './domain-names.port.js';
import type {
  FunctionAliasesPort,
  FunctionPoliciesPort,
  FunctionsPort,
  FunctionVersionsPort,
} from './functions.port.js';

/** Every port of the store, as seen inside and outside a transaction. */
export interface StorePorts {
  apis: ApisPort;
  domainNames: DomainNamesPort;
  functions: FunctionsPort;
  versions: FunctionVersionsPort;
  aliases: FunctionAliasesPort;
  policies: FunctionPoliciesPort;
  code: CodePort;
}

/** The control plane's persistence: ports per aggregate plus all-or-nothing transactions. */
export interface Store extends StorePorts {
  /** Which adapter this is (`sqlite`, `memory`). */
  readonly kind: string;
  /**
   * Runs `fn` as one transaction: everything it wrote is committed when it resolves and rolled back
   * when it throws. Transactions are serialised; other callers' operations wait until it ends.
   * Inside `fn` use `tx` (the store itself also works: the async context joins the transaction).
   * A nested call is a savepoint. Do not run nested transactions concurrently (Promise.all).
   */
  transaction<T>(fn: (tx: StorePorts) => Promise<T>): Promise<T>;
  /** Waits for the running transaction and closes the store (the sqlite file). */
  close(): Promise<void>;
}
