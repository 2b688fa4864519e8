import { isGatewayError } from '../../errors/index.js';
import type { AuthorizerDef } from '../../model/types.js';
import { parseAuthorizer } from '../apigatewayv2/authorizer-input.js';
import { asObject, type Doc } from './document.js';

/** What a security scheme of the definition turns into. */
export type SchemeUse = { kind: 'authorizer'; authorizer: AuthorizerDef } | { kind: 'iam' };

/**
 * Reads `components.securitySchemes` (3.x) or `securityDefinitions` (2.0): schemes carrying
 * `x-amazon-apigateway-authorizer` of type `jwt` or `request` become authorizers; `awsSigv4` schemes
 * mean IAM authorization. Everything else is reported as a warning.
 */
export function importSecuritySchemes(
  doc: Doc,
  newId: () => string,
  warnings: string[],
): Map<string, SchemeUse> {
  const schemes =
    asObject(asObject(doc.components)?.securitySchemes) ?? asObject(doc.securityDefinitions) ?? {};
  const out = new Map<string, SchemeUse>();
  for (const [name, raw] of Object.entries(schemes)) {
    const scheme = asObject(raw) ?? {};
    if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') {
      out.set(name, { kind: 'iam' });
      continue;
    }
    const ext = asObject(scheme['x-amazon-apigateway-authorizer']);
    if (!ext) {
      warnings.push(`Security scheme ${name} has no x-amazon-apigateway-authorizer and is ignored`);
      continue;
    }
    const type = typeof ext.type === 'string' ? ext.type.toLowerCase() : '';
    if (type !== 'jwt' && type !== 'request') {
      warnings.push(
        `Authorizer type ${String(ext.type)} of security scheme ${name} is not supported for HTTP APIs (use jwt or request)`,
      );
      continue;
    }
    const identity = ext.identitySource;
    const body: Doc = {
      name,
      authorizerType: type === 'jwt' ? 'JWT' : 'REQUEST',
      identitySource:
        typeof identity === 'string'
          ? identity
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : identity,
      jwtConfiguration: ext.jwtConfiguration,
      authorizerUri: ext.authorizerUri,
      authorizerPayloadFormatVersion: ext.authorizerPayloadFormatVersion,
      enableSimpleResponses: ext.enableSimpleResponses,
      authorizerResultTtlInSeconds: ext.authorizerResultTtlInSeconds,
      authorizerCredentialsArn: ext.authorizerCredentials,
    };
    try {
      out.set(name, { kind: 'authorizer', authorizer: parseAuthorizer(body, newId()) });
    } catch (err) {
      if (!isGatewayError(err)) throw err;
      warnings.push(`Unable to create authorizer ${name}: ${err.message}`);
    }
  }
  return out;
}
