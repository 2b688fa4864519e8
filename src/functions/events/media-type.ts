/**
 * Content-type rules that decide whether a body travels as UTF-8 text or base64.
 * HTTP APIs: text only for `text/*`, `application/json`, `application/xml`, `application/javascript`;
 * everything else (missing type and form-urlencoded included) is base64 (reference §2.2, verified on AWS
 * in ministackorg/ministack#766). REST APIs: base64 only when the type matches `binaryMediaTypes`
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html, §3.11).
 */

/** The bare, lower-cased media type of a header value (`Text/HTML; charset=utf-8` -> `text/html`). */
export function mediaTypeOf(headerValue: string | undefined): string {
  if (headerValue === undefined) return '';
  const semi = headerValue.indexOf(';');
  return (semi === -1 ? headerValue : headerValue.slice(0, semi)).trim().toLowerCase();
}

/** True when an HTTP API delivers a body of this `Content-Type` as UTF-8 text (not base64). */
export function isTextContentType(contentType: string | undefined): boolean {
  const type = mediaTypeOf(contentType);
  return (
    type.startsWith('text/') ||
    type === 'application/json' ||
    type === 'application/xml' ||
    type === 'application/javascript'
  );
}

/**
 * True when `mediaType` (a header value or bare type) matches one of the REST API's
 * `binaryMediaTypes` entries: exact, `type/*`, or `*` + `/*`. Case-insensitive; parameters ignored.
 */
export function matchesBinaryMediaTypes(
  mediaType: string | undefined,
  binaryMediaTypes: readonly string[] | undefined,
): boolean {
  if (binaryMediaTypes === undefined || binaryMediaTypes.length === 0) return false;
  const type = mediaTypeOf(mediaType);
  if (type === '') return false;
  const slash = type.indexOf('/');
  const major = slash === -1 ? type : type.slice(0, slash);
  for (const entry of binaryMediaTypes) {
    const want = mediaTypeOf(entry);
    if (want === '*/*' || want === type) return true;
    if (want.endsWith('/*') && want.length === major.length + 2 && want.startsWith(major)) return true;
  }
  return false;
}

/** The first media type of an `Accept` header (`image/png, text/*;q=0.8` -> `image/png`), or `''`. */
export function firstAcceptType(accept: string | undefined): string {
  if (accept === undefined) return '';
  const comma = accept.indexOf(',');
  return mediaTypeOf(comma === -1 ? accept : accept.slice(0, comma));
}

/**
 * True when the request body goes to the function base64-encoded (`isBase64Encoded: true`):
 * HTTP APIs for every non-text type, REST APIs only for types in `binaryMediaTypes`.
 */
export function isBase64RequestBody(
  flavour: 'HTTP' | 'REST',
  contentType: string | undefined,
  binaryMediaTypes: readonly string[] | undefined,
): boolean {
  return flavour === 'REST'
    ? matchesBinaryMediaTypes(contentType, binaryMediaTypes)
    : !isTextContentType(contentType);
}
