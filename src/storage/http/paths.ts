/**
 * The GBS resource paths (http-storage-node-protocol.rst): building them for the client and matching them
 * for the server. Storage indexes appear as 26 base32 characters, share numbers in decimal.
 *
 * @module
 */

/** Every GBS operation. */
export type Operation =
  | 'version'
  | 'lease'
  | 'allocate'
  | 'write'
  | 'abort'
  | 'list-immutable'
  | 'read-immutable'
  | 'corrupt-immutable'
  | 'read-test-write'
  | 'list-mutable'
  | 'read-mutable'
  | 'corrupt-mutable';

/** A matched request path. */
export interface Route {
  operation: Operation;
  method: string;
  storageIndex?: string;
  shareNumber?: number;
}

const PREFIX = '/storage/v1';
const SI = '([a-z2-7]{26})';
const SHNUM = '(0|[1-9][0-9]{0,2})';

const TABLE: readonly { operation: Operation; method: string; pattern: RegExp }[] = [
  { operation: 'version', method: 'GET', pattern: /^\/version$/ },
  { operation: 'lease', method: 'PUT', pattern: new RegExp(`^/lease/${SI}$`) },
  { operation: 'allocate', method: 'POST', pattern: new RegExp(`^/immutable/${SI}$`) },
  { operation: 'list-immutable', method: 'GET', pattern: new RegExp(`^/immutable/${SI}/shares$`) },
  { operation: 'write', method: 'PATCH', pattern: new RegExp(`^/immutable/${SI}/${SHNUM}$`) },
  { operation: 'read-immutable', method: 'GET', pattern: new RegExp(`^/immutable/${SI}/${SHNUM}$`) },
  { operation: 'abort', method: 'PUT', pattern: new RegExp(`^/immutable/${SI}/${SHNUM}/abort$`) },
  {
    operation: 'corrupt-immutable',
    method: 'POST',
    pattern: new RegExp(`^/immutable/${SI}/${SHNUM}/corrupt$`),
  },
  { operation: 'read-test-write', method: 'POST', pattern: new RegExp(`^/mutable/${SI}/read-test-write$`) },
  { operation: 'list-mutable', method: 'GET', pattern: new RegExp(`^/mutable/${SI}/shares$`) },
  { operation: 'read-mutable', method: 'GET', pattern: new RegExp(`^/mutable/${SI}/${SHNUM}$`) },
  { operation: 'corrupt-mutable', method: 'POST', pattern: new RegExp(`^/mutable/${SI}/${SHNUM}/corrupt$`) },
];

/**
 * Matches `method` and `path` (query string ignored). Returns the route, `'method-not-allowed'` when the
 * path exists for another method, or `undefined` when it names no resource.
 */
export function matchRoute(method: string, path: string): Route | 'method-not-allowed' | undefined {
  const q = path.indexOf('?');
  const bare = q < 0 ? path : path.slice(0, q);
  if (!bare.startsWith(`${PREFIX}/`)) return undefined;
  const rest = bare.slice(PREFIX.length);
  let pathMatched = false;
  for (const entry of TABLE) {
    const m = entry.pattern.exec(rest);
    if (!m) continue;
    if (entry.method !== method) {
      pathMatched = true;
      continue;
    }
    const route: Route = { operation: entry.operation, method };
    if (m[1] !== undefined) route.storageIndex = m[1];
    if (m[2] !== undefined) route.shareNumber = Number(m[2]);
    return route;
  }
  return pathMatched ? 'method-not-allowed' : undefined;
}

/** Builds the path of an operation. */
export function buildPath(operation: Operation, storageIndex?: string, shareNumber?: number): string {
  const si = storageIndex ?? '';
  const sh = String(shareNumber ?? '');
  switch (operation) {
    case 'version':
      return `${PREFIX}/version`;
    case 'lease':
      return `${PREFIX}/lease/${si}`;
    case 'allocate':
      return `${PREFIX}/immutable/${si}`;
    case 'list-immutable':
      return `${PREFIX}/immutable/${si}/shares`;
    case 'write':
    case 'read-immutable':
      return `${PREFIX}/immutable/${si}/${sh}`;
    case 'abort':
      return `${PREFIX}/immutable/${si}/${sh}/abort`;
    case 'corrupt-immutable':
      return `${PREFIX}/immutable/${si}/${sh}/corrupt`;
    case 'read-test-write':
      return `${PREFIX}/mutable/${si}/read-test-write`;
    case 'list-mutable':
      return `${PREFIX}/mutable/${si}/shares`;
    case 'read-mutable':
      return `${PREFIX}/mutable/${si}/${sh}`;
    case 'corrupt-mutable':
      return `${PREFIX}/mutable/${si}/${sh}/corrupt`;
  }
}
