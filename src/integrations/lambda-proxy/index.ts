export { createLambdaProxyIntegration, functionRefOf, type LambdaProxyOptions } from './lambda-proxy.js';
