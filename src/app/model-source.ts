import { ConfigError, configToModel, loadConfigFile, CONFIG_DEFAULTS } from '../config/index.js';
import { prepareCode } from '../functions/index.js';
import type { GatewayModel } from '../model/types.js';
import { listAll, type Store } from '../storage/index.js';

/** What the config file contributes: its model and settings. */
export interface ConfigSnapshot {
  model: GatewayModel;
  region: string;
  accountId: string;
}

/** An empty model. */
export const EMPTY_MODEL: GatewayModel = { apis: [], domainNames: [], functions: [] };

/**
 * Loads the config file into a model; zipped function code is unpacked into the data dir.
 * Throws ConfigError (file, path, reason) for anything unusable.
 */
export async function loadConfigSnapshot(
  file: string,
  dataDir: string,
  overrides: { region?: string; accountId?: string },
): Promise<ConfigSnapshot> {
  const loaded = await loadConfigFile(file);
  const region = overrides.region ?? loaded.config.settings?.region ?? CONFIG_DEFAULTS.region;
  const accountId = overrides.accountId ?? loaded.config.settings?.accountId ?? CONFIG_DEFAULTS.accountId;
  const model = configToModel(file, loaded.config, { region, accountId });
  for (const fn of model.functions) {
    try {
      fn.codeDir = prepareCode(fn.codeDir, dataDir);
    } catch (err) {
      throw new ConfigError(
        file,
        `functions.${fn.functionName}.code`,
        `cannot use code at ${fn.codeDir}: ${(err as Error).message}`,
      );
    }
  }
  return { model, region, accountId };
}

/** Everything the control plane stored, as a model. */
export async function loadStoredModel(store: Store): Promise<GatewayModel> {
  return {
    apis: await listAll((p) => store.apis.list(p)),
    domainNames: await listAll((p) => store.domainNames.list(p)),
    functions: await listAll((p) => store.functions.list(p)),
  };
}

/** The served model: the config file's resources plus the stored ones. */
export function mergeModels(fromConfig: GatewayModel, stored: GatewayModel): GatewayModel {
  return {
    apis: [...fromConfig.apis, ...stored.apis],
    domainNames: [...fromConfig.domainNames, ...stored.domainNames],
    functions: [...fromConfig.functions, ...stored.functions],
  };
}
