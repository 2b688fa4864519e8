/**
 * An HTTP_PROXY integration URI compiled for one stage: stage variables are filled in at deploy
 * time; `{param}` and `{proxy}` placeholders are filled per request from the route's path parameters.
 */

/** A compiled integration URI. */
export interface CompiledUri {
  /** `scheme://host[:port]` when it does not depend on the request, else undefined. */
  staticOrigin: string | undefined;
  /** Parts of the whole URI (origin included when it is dynamic). */
  parts: Array<string | { param: string }>;
  /** Whether the template's path/query part had a `?`. */
  hasQuery: boolean;
}

/** Fills `${stageVariables.x}` and splits the rest into literal text and path parameter slots. */
export function compileUri(uri: string, stageVariables: Record<string, string>): CompiledUri {
  const filled = uri.replace(
    /\$\{stageVariables\.([A-Za-z0-9_]+)\}/g,
    (_m, name: string) => stageVariables[name] ?? '',
  );
  const originMatch = /^(https?:\/\/[^/?#]*)/i.exec(filled);
  const origin = originMatch?.[1] ?? '';
  const dynamicOrigin = origin.includes('{');
  const rest = dynamicOrigin ? filled : filled.slice(origin.length);
  const parts: CompiledUri['parts'] = [];
  const re = /\{([A-Za-z0-9_]+)\+?\}/g;
  let last = 0;
  for (let m = re.exec(rest); m; m = re.exec(rest)) {
    if (m.index > last) parts.push(rest.slice(last, m.index));
    parts.push({ param: m[1] as string });
    last = m.index + m[0].length;
  }
  if (last < rest.length) parts.push(rest.slice(last));
  return {
    staticOrigin: dynamicOrigin ? undefined : origin,
    parts,
    hasQuery: rest.includes('?'),
  };
}

/** Renders the compiled URI's path (or whole URL for a dynamic origin). */
export function renderUri(uri: CompiledUri, params: Record<string, string> | undefined): string {
  let out = '';
  for (const p of uri.parts) {
    out += typeof p === 'string' ? p : encodePathValue(params?.[p.param] ?? '');
  }
  return out;
}

/**
 * Encodes a decoded path parameter for the upstream path: `/` stays (greedy values span segments),
 * characters that are legal in a path segment (RFC 3986 pchar) stay as they are.
 */
export function encodePathValue(value: string): string {
  let needs = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (!isPchar(c) && c !== 47) {
      needs = true;
      break;
    }
  }
  if (!needs) return value;
  return value
    .split('/')
    .map((seg) =>
      encodeURIComponent(seg).replace(/%(3A|40|21|24|26|27|28|29|2A|2B|2C|3B|3D)/gi, (m) =>
        decodeURIComponent(m),
      ),
    )
    .join('/');
}

function isPchar(c: number): boolean {
  return (
    (c >= 48 && c <= 57) || // 0-9
    (c >= 65 && c <= 90) || // A-Z
    (c >= 97 && c <= 122) || // a-z
    c === 45 ||
    c === 46 ||
    c === 95 ||
    c === 126 || // - . _ ~
    c === 33 ||
    c === 36 ||
    c === 38 ||
    c === 39 ||
    c === 40 ||
    c === 41 ||
    c === 42 ||
    c === 43 ||
    c === 44 ||
    c === 59 ||
    c === 61 || // sub-delims
    c === 58 ||
    c === 64 // : @
  );
}
