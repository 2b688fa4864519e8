/** A refused request: what to answer, independent of the service's error body shape. */
export interface SigV4Failure {
  ok: false;
  /** 400 for a malformed signature, 403 for one that does not verify. */
  status: 400 | 403;
  /** AWS exception name (`x-amzn-ErrorType`). */
  errorType:
    | 'IncompleteSignatureException'
    | 'InvalidSignatureException'
    | 'UnrecognizedClientException'
    | 'MissingAuthenticationTokenException';
  message: string;
}

/**
 * A malformed signature. AWS lists IncompleteSignature as 400 in the common errors
 * (https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html).
 */
export function incomplete(message: string): SigV4Failure {
  return { ok: false, status: 400, errorType: 'IncompleteSignatureException', message };
}

/** A well-formed signature that does not verify (wrong secret, skew, scope). */
export function invalid(message: string): SigV4Failure {
  return { ok: false, status: 403, errorType: 'InvalidSignatureException', message };
}

/** The access key id is not configured (AWS wording for an unknown key). */
export function unrecognizedClient(): SigV4Failure {
  return {
    ok: false,
    status: 403,
    errorType: 'UnrecognizedClientException',
    message: 'The security token included in the request is invalid.',
  };
}

/** No signature at all while credentials are required. */
export function missingToken(): SigV4Failure {
  return {
    ok: false,
    status: 403,
    errorType: 'MissingAuthenticationTokenException',
    message: 'Missing Authentication Token',
  };
}
