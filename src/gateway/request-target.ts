/**
 * Parses and vets the request target before anything else looks at it. Paths that could mean
 * something different to Portico and to an upstream are refused (400) rather than normalised:
 * dot segments (`/a/../b`, `%2e%2e`), encoded slashes and backslashes (`%2f`, `%5c`), NUL, and
 * percent-encoding that is malformed or not UTF-8.
 */

/** A request target that passed the checks. */
export interface RequestTarget {
  /** The path exactly as sent (still percent-encoded). */
  rawPath: string;
  /** The query string without `?` ('' when absent). */
  rawQuery: string;
  /** Path segments, percent-decoded (`/a/b` -> ['a', 'b'], `/` -> []). */
  segments: string[];
}

/** Why a target was refused. */
export interface TargetError {
  error: string;
}

const DOT_SEGMENT = /^(\.|%2e){1,2}$/i;
const FORBIDDEN_ENCODED = /%(2f|5c|00)/i;

/** Parses `req.url`. */
export function parseRequestTarget(url: string): RequestTarget | TargetError {
  if (url.charCodeAt(0) !== 47 /* / */) return { error: 'request target must be an absolute path' };
  const q = url.indexOf('?');
  const rawPath = q === -1 ? url : url.slice(0, q);
  const rawQuery = q === -1 ? '' : url.slice(q + 1);
  if (rawPath.includes('#') || rawQuery.includes('#')) return { error: 'fragment in request target' };
  if (rawPath.includes('\\')) return { error: 'backslash in path' };
  const parts = rawPath === '/' ? [] : rawPath.slice(1).split('/');
  const hasPercent = rawPath.includes('%');
  if (hasPercent && FORBIDDEN_ENCODED.test(rawPath))
    return { error: 'encoded slash, backslash or NUL in path' };
  if (rawQuery.includes('%') && !validQueryEncoding(rawQuery))
    return { error: 'invalid percent-encoding in query' };
  const checkDots = rawPath.includes('.') || hasPercent;
  if (!checkDots) return { rawPath, rawQuery, segments: parts };
  const segments = new Array<string>(parts.length);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string;
    if (checkDots && DOT_SEGMENT.test(part)) return { error: 'dot segment in path' };
    if (part.includes('%')) {
      try {
        segments[i] = decodeURIComponent(part);
      } catch {
        return { error: 'invalid percent-encoding in path' };
      }
    } else {
      segments[i] = part;
    }
  }
  return { rawPath, rawQuery, segments };
}

function validQueryEncoding(query: string): boolean {
  for (const piece of query.split(/[&=]/)) {
    if (!piece.includes('%')) continue;
    try {
      decodeURIComponent(piece.replace(/\+/g, ' '));
    } catch {
      return false;
    }
  }
  return true;
}
