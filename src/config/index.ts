export { ConfigError } from './config-error.js';
export { loadConfigFile, parseConfigText, type LoadedConfig } from './load.js';
export { configToModel, lambdaArn, shortId, CONFIG_DEFAULTS, type ModelSettings } from './to-model.js';
export { watchConfigFile, type ConfigWatcher } from './watch.js';
export type { ConfigFile } from './schema.js';
