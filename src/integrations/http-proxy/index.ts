export { createHttpProxyIntegration, type HttpProxyOptions } from './http-proxy.js';
export { mapUpstreamError } from './proxy-exchange.js';
export { UpstreamPools, type PoolOptions } from './pools.js';
export { MAX_PAYLOAD_BYTES, readBody, hasRequestBody } from './request-body.js';
