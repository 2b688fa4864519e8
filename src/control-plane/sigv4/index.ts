export {
  verifySigV4,
  type SigV4Options,
  type SigV4Request,
  type SigV4Result,
  type SigV4Success,
} from './verify.js';
export type { SigV4Failure } from './errors.js';
export {
  renderSigV4Error,
  renderLambdaSigV4Error,
  renderApiGatewaySigV4Error,
  type SigV4ErrorFlavour,
} from './render.js';
export { ALGORITHM, buildCanonicalRequest, canonicalUri, canonicalQuery, escapeUri } from './canonical.js';
export { toAmzDate } from './parse.js';
export { buildStringToSign, computeSignature, sha256Hex } from './signing.js';
