/**
 * HTTP API route selection (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation):
 * a full match of method and path wins (static segments before `{var}` segments, the request's method
 * before `ANY`), then the most specific greedy `{proxy+}` route, then `$default`. Compiled once per
 * deployment into a segment trie, so a lookup touches only the request's own segments.
 */

/** A route to compile: a route key and what it leads to. */
export interface RouteEntry<T> {
  routeKey: string;
  value: T;
}

/** The result of a lookup. */
export interface RouteMatch<T> {
  routeKey: string;
  value: T;
  /** Decoded path parameters; undefined when the route has none. */
  pathParameters: Record<string, string> | undefined;
}

interface Leaf<T> {
  routeKey: string;
  value: T;
  /** Parameter names by segment position (undefined for static segments). */
  paramNames: Array<string | undefined>;
  greedyName?: string;
}

class TrieNode<T> {
  readonly statics = new Map<string, TrieNode<T>>();
  param: TrieNode<T> | undefined;
  readonly endByMethod = new Map<string, Leaf<T>>();
  readonly greedyByMethod = new Map<string, Leaf<T>>();
}

/** A compiled route table. */
export interface Router<T> {
  match(method: string, segments: readonly string[]): RouteMatch<T> | undefined;
  readonly size: number;
}

/** Splits a route key into its method and path segments; `$default` has neither. */
export function parseRouteKey(routeKey: string): { method: string; segments: string[] } | undefined {
  if (routeKey === '$default') return undefined;
  const space = routeKey.indexOf(' ');
  const method = routeKey.slice(0, space);
  const path = routeKey.slice(space + 1);
  return { method, segments: path === '/' ? [] : path.split('/').slice(1) };
}

/** Compiles routes into a router. Throws on a duplicate route key. */
export function compileRouter<T>(entries: ReadonlyArray<RouteEntry<T>>): Router<T> {
  const root = new TrieNode<T>();
  let defaultLeaf: Leaf<T> | undefined;
  const seen = new Set<string>();
  for (const { routeKey, value } of entries) {
    if (seen.has(routeKey)) throw new Error(`duplicate route key: ${routeKey}`);
    seen.add(routeKey);
    const parsed = parseRouteKey(routeKey);
    if (!parsed) {
      defaultLeaf = { routeKey, value, paramNames: [] };
      continue;
    }
    let node = root;
    const paramNames: Array<string | undefined> = [];
    let greedyName: string | undefined;
    for (const seg of parsed.segments) {
      const m = /^\{([^}]+?)(\+?)\}$/.exec(seg);
      if (m && m[2] === '+') {
        greedyName = m[1];
        break;
      }
      if (m) {
        node.param ??= new TrieNode<T>();
        node = node.param;
        paramNames.push(m[1]);
      } else {
        let next = node.statics.get(seg);
        if (!next) {
          next = new TrieNode<T>();
          node.statics.set(seg, next);
        }
        node = next;
        paramNames.push(undefined);
      }
    }
    const leaf: Leaf<T> = { routeKey, value, paramNames };
    if (greedyName !== undefined) {
      leaf.greedyName = greedyName;
      node.greedyByMethod.set(parsed.method, leaf);
    } else {
      node.endByMethod.set(parsed.method, leaf);
    }
  }
  const size = seen.size;

  return {
    size,
    match(method, segments) {
      const full = findFull(root, method, segments, 0);
      if (full) return toMatch(full, segments);
      const greedy = findGreedy(root, method, segments, 0);
      if (greedy) return toMatch(greedy.leaf, segments);
      if (defaultLeaf)
        return { routeKey: defaultLeaf.routeKey, value: defaultLeaf.value, pathParameters: undefined };
      return undefined;
    },
  };
}

function findFull<T>(
  node: TrieNode<T>,
  method: string,
  segs: readonly string[],
  i: number,
): Leaf<T> | undefined {
  if (i === segs.length) return node.endByMethod.get(method) ?? node.endByMethod.get('ANY');
  const seg = segs[i] as string;
  const next = node.statics.get(seg);
  if (next) {
    const found = findFull(next, method, segs, i + 1);
    if (found) return found;
  }
  if (node.param && seg !== '') return findFull(node.param, method, segs, i + 1);
  return undefined;
}

function findGreedy<T>(
  node: TrieNode<T>,
  method: string,
  segs: readonly string[],
  i: number,
): { leaf: Leaf<T>; depth: number } | undefined {
  let best: { leaf: Leaf<T>; depth: number } | undefined;
  if (i < segs.length && node.greedyByMethod.size > 0 && !restIsEmpty(segs, i)) {
    const leaf = node.greedyByMethod.get(method) ?? node.greedyByMethod.get('ANY');
    if (leaf) best = { leaf, depth: i };
  }
  if (i >= segs.length) return best;
  const seg = segs[i] as string;
  const next = node.statics.get(seg);
  if (next) {
    const deeper = findGreedy(next, method, segs, i + 1);
    if (deeper && (!best || deeper.depth > best.depth)) best = deeper;
  }
  if (node.param && seg !== '') {
    const deeper = findGreedy(node.param, method, segs, i + 1);
    if (deeper && (!best || deeper.depth > best.depth)) best = deeper;
  }
  return best;
}

function restIsEmpty(segs: readonly string[], i: number): boolean {
  for (let j = i; j < segs.length; j++) if (segs[j] !== '') return false;
  return true;
}

function toMatch<T>(leaf: Leaf<T>, segs: readonly string[]): RouteMatch<T> {
  let params: Record<string, string> | undefined;
  const names = leaf.paramNames;
  for (let i = 0; i < names.length; i++) {
    const name = names[i];
    if (name !== undefined) (params ??= {})[name] = segs[i] as string;
  }
  if (leaf.greedyName !== undefined) {
    (params ??= {})[leaf.greedyName] = segs.slice(names.length).join('/');
  }
  return { routeKey: leaf.routeKey, value: leaf.value, pathParameters: params };
}
