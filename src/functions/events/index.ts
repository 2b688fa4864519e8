/** Lambda proxy integration payloads: event builders and response parsers for formats 1.0 and 2.0. */
export type {
  ProxyApiFlavour,
  ProxyAuthorizerResult,
  ProxyClientCert,
  ProxyEventV1,
  ProxyEventV2,
  ProxyIdentityV1,
  ProxyRequestContextV1,
  ProxyRequestContextV2,
  ProxyRequestInput,
  ProxyResponseMalformed,
  ProxyResponseOk,
  ProxyResponseResult,
} from './types.js';
export { buildEventV1, authorizerV1 } from './event-v1.js';
export { buildEventV2, authorizerV2 } from './event-v2.js';
export { encodeEvent } from './encode-event.js';
export { decodeProxyInput, encodeProxyInput } from './proxy-input-codec.js';
export { parseResponseV1, type ParseResponseV1Options } from './response-v1.js';
export { parseResponseV2 } from './response-v2.js';
export {
  lambdaFailureError,
  mapLambdaFailure,
  parseInvokeResult,
  type LambdaFailureKind,
  type LambdaFailureMapping,
  type ProxyResultOptions,
} from './invoke-outcome.js';
export { formatClfTime } from './clf-time.js';
export {
  firstAcceptType,
  isBase64RequestBody,
  isTextContentType,
  matchesBinaryMediaTypes,
  mediaTypeOf,
} from './media-type.js';
export {
  collectHeadersV1,
  collectHeadersV2,
  findRawHeader,
  isDroppedRequestHeader,
  splitCookieHeader,
  type HeadersV1,
  type HeadersV2,
} from './headers.js';
export {
  decodeQueryComponent,
  forEachQueryPair,
  parseQueryV1,
  parseQueryV2,
  type QueryMapsV1,
} from './query-string.js';
