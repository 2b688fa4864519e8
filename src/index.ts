/** Portico's public API for embedders. */
export { createGateway, type Gateway, type GatewayAddresses } from './app/create-gateway.js';
export type { GatewayOptions } from './app/options.js';
export { ConfigError, type ConfigFile } from './config/index.js';
export type { GatewayModel, ApiDef, FunctionDef, DomainNameDef } from './model/types.js';
export { VERSION } from './app/version.js';
