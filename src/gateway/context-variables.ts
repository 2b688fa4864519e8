import { clfTime } from './clf-time.js';
import type { RequestContext } from './context.js';

/**
 * `$context.*` variables of a request (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html),
 * for parameter mapping and access logs. Unknown names give undefined.
 */
export function contextVariable(ctx: RequestContext, name: string): string | undefined {
  switch (name) {
    case 'requestId':
    case 'extendedRequestId':
      return ctx.requestId;
    case 'apiId':
      return ctx.api?.apiId;
    case 'stage':
      return ctx.stage?.stageName;
    case 'routeKey':
      return ctx.routeKey;
    case 'httpMethod':
      return ctx.req.method;
    case 'path':
      return ctx.rawPath;
    case 'protocol':
      return `HTTP/${ctx.req.httpVersion}`;
    case 'domainName':
      return ctx.domainName;
    case 'domainPrefix':
      return ctx.domainName.split('.')[0];
    case 'identity.sourceIp':
      return ctx.sourceIp;
    case 'identity.userAgent':
      return ctx.req.headers['user-agent'];
    case 'requestTime':
      return clfTime(ctx.requestTimeEpoch);
    case 'requestTimeEpoch':
      return String(ctx.requestTimeEpoch);
    case 'accountId':
      return ctx.api?.accountId;
    case 'customDomain.basePathMatched':
      return ctx.basePathMatched;
    case 'status':
      return String(ctx.status);
    case 'integrationStatus':
    case 'integration.status':
      return ctx.integrationStatus === -1 ? undefined : String(ctx.integrationStatus);
    case 'error.message':
      return ctx.errorMessage;
    default:
      return undefined;
  }
}
