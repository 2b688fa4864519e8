import type { PorticoFunctionRuntime } from '../functions/index.js';
import type { GatewayModel } from '../model/types.js';
import type { Store } from '../storage/index.js';

/**
 * What control-plane operations are given by the composition root. Operations read and write the
 * store (in transactions); after a committed change they call `changed()`, and the gateway rebuilds
 * the served model (config-file resources + stored resources) and activates it atomically.
 */
export interface ControlPlaneContext {
  store: Store;
  region: string;
  accountId: string;
  /** Resources from the config file: visible through the API, read-only (writes -> 409/400). */
  configModel(): GatewayModel;
  /** Recompiles and activates the served model; rejects when the new model cannot be served. */
  changed(): Promise<void>;
  /** The function runtime (for Invoke and for code preparation). */
  functions: PorticoFunctionRuntime;
  /** Where state lives (function code is unpacked under it). */
  dataDir: string;
  now(): Date;
}
