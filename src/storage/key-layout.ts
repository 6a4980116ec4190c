/**
 * The key layout of weir's one LevelDB (DESIGN §5). Every key starts with a short ASCII
 * prefix naming what it holds, then binary parts from key-codec.ts:
 *
 * | prefix               | key suffix              | value                          | written      |
 * |----------------------|-------------------------|--------------------------------|--------------|
 * | `c/`                 | item id (ASCII)         | JSON: id, kind, name, CREATE text | on DDL    |
 * | `m/format`           | —                       | the data directory's format version (ASCII) | at creation |
 * | `m/tick`             | —                       | the last committed tick (ASCII) | each tick   |
 * | `m/next-id`          | —                       | the next catalog id (ASCII)    | on DDL       |
 * | `t/<tableId>/`       | encodeKey(primary key or whole row) | encodeRow([diff, ...row]) | each tick |
 * | `l/<sourceId>/`      | encodeKey([partition, first offset(, epoch)]) | a SourceLog pointer (source-log.ts) | each tick |
 * | `st/<dataflowId>/`   | operator's own keys     | operator's own values          | each tick    |
 * | `v/<viewId>/`        | encodeKey(unique key or whole row) | encodeRow([diff, ...row]) [+ encodeRow(trailer)] | each tick |
 * | `e/<viewId>/`        | UTF-8 of code + message | encodeRow([diff, code, message]) | each tick  |
 * | `m/src/<id>`         | —                       | JSON: a source's position, watermark, late counts | each tick |
 *
 * A view entry's trailer is its root GROUP BY's state for the row's group (dataflow/
 * view-output-store.ts); readers of the view decode the first row only.
 *
 * Ids never contain '/', and are never reused, so one prefix never covers another object.
 */
import type { Bytes, KvRange } from './kv-store.js';

const utf8 = new TextEncoder();

export function concatBytes(a: Bytes, b: Bytes): Bytes {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

/** The range of every key that starts with `prefix`. */
export function prefixRange(prefix: Bytes): KvRange {
  const lt = new Uint8Array(prefix);
  // Prefixes end with '/', so incrementing the last byte cannot overflow.
  lt[lt.length - 1]! += 1;
  return { gte: prefix, lt };
}

/** Prefixes are built once per object and shared: callers must not modify them. */
function cached(make: (id: string) => string): (id: string) => Bytes {
  const cache = new Map<string, Bytes>();
  return (id) => {
    let b = cache.get(id);
    if (!b) cache.set(id, (b = utf8.encode(make(id))));
    return b;
  };
}

export const keys = {
  catalogPrefix: utf8.encode('c/'),
  catalogItem: (id: string) => utf8.encode(`c/${id}`),
  format: utf8.encode('m/format'),
  tick: utf8.encode('m/tick'),
  nextId: utf8.encode('m/next-id'),
  tablePrefix: cached((tableId) => `t/${tableId}/`),
  sourceLogPrefix: cached((sourceId) => `l/${sourceId}/`),
  statePrefix: cached((dataflowId) => `st/${dataflowId}/`),
  viewPrefix: cached((viewId) => `v/${viewId}/`),
  viewErrorPrefix: cached((viewId) => `e/${viewId}/`),
  sourceProgress: cached((id) => `m/src/${id}`),
};
