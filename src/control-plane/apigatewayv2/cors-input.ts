import type { CorsConfiguration } from '../../model/types.js';
import { badRequest } from './errors.js';
import { optBool, optInt, optStringList } from './fields.js';
import type { JsonObject } from './wire.js';

/**
 * Validates an HTTP API `corsConfiguration` (also the `x-amazon-apigateway-cors` extension)
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html).
 */
export function parseCors(body: JsonObject): CorsConfiguration {
  const cors: CorsConfiguration = {};
  const allowOrigins = optStringList(body, 'allowOrigins');
  if (allowOrigins !== undefined) cors.allowOrigins = allowOrigins;
  const allowCredentials = optBool(body, 'allowCredentials');
  if (allowCredentials !== undefined) cors.allowCredentials = allowCredentials;
  const exposeHeaders = optStringList(body, 'exposeHeaders');
  if (exposeHeaders !== undefined) cors.exposeHeaders = exposeHeaders;
  const maxAge = optInt(body, 'maxAge', -1, 86400);
  if (maxAge !== undefined) cors.maxAge = maxAge;
  const allowMethods = optStringList(body, 'allowMethods');
  if (allowMethods !== undefined) cors.allowMethods = allowMethods;
  const allowHeaders = optStringList(body, 'allowHeaders');
  if (allowHeaders !== undefined) cors.allowHeaders = allowHeaders;
  if (cors.allowCredentials && cors.allowOrigins?.includes('*')) {
    // Browsers refuse credentials with a wildcard origin; AWS refuses the configuration too.
    throw badRequest('allowCredentials cannot be true when allowOrigins contains *');
  }
  for (const origin of cors.allowOrigins ?? []) {
    if (origin !== '*' && !/^https?:\/\/\S+$/.test(origin)) {
      throw badRequest(`Invalid origin ${origin} in allowOrigins`);
    }
  }
  return cors;
}
