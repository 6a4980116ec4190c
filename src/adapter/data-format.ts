/**
 * The data directory's format version (`m/format`): which layout of keys and values
 * (storage/key-layout.ts, operator state, source data) the directory was written with. Plans
 * are re-made from the catalog at every start, so a change to how an operator or a source
 * stores its entries makes an older directory unreadable in ways that would otherwise show as
 * wrong results: such a change bumps DATA_FORMAT_VERSION, and a directory of another version
 * is refused at start with a clear error. weir does not migrate directories yet.
 *
 * Versions: 1 = every directory written before versions were recorded (no `m/format` key);
 * 2 = join rows stored under their encoded bytes, Project operators below joins (column
 * pruning shifts the operator positions that name state ranges), a Kafka PLAIN source's data
 * stored as one entry per tick and partition; 3 = a view whose dataflow ends in a GROUP BY on
 * its storage key keeps each group's state as a trailer of the group's row (no `g` entry);
 * 4 = a Kafka PLAIN source's rows in the source log (`<data-dir>/source-log/`), the store
 * holding pointers to them under `l/<id>/`.
 */
import type { KvStore } from '../storage/kv-store.js';
import { keys } from '../storage/key-layout.js';
import { SqlError, SqlState } from '../types/sql-error.js';

export const DATA_FORMAT_VERSION = 4;

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

/**
 * Checks (or, for a new directory, records) the format version. Throws SqlError 55000 for a
 * directory of another version.
 */
export async function checkDataFormat(store: KvStore, dataDir: string | undefined): Promise<void> {
  const stored = await store.get(keys.format);
  let version: number;
  if (stored !== undefined) version = Number(utf8d.decode(stored));
  else {
    let empty = true;
    for await (const chunk of store.scan({ limit: 1 })) if (chunk.length > 0) empty = false;
    if (empty) {
      await store.write([{ type: 'put', key: keys.format, value: utf8.encode(String(DATA_FORMAT_VERSION)) }]);
      return;
    }
    version = 1;
  }
  if (version === DATA_FORMAT_VERSION) return;
  const where = dataDir ? `The data directory ${dataDir}` : 'The store';
  throw new SqlError(
    SqlState.objectNotInPrerequisiteState,
    `data directory format ${version} is ${version < DATA_FORMAT_VERSION ? 'older' : 'newer'} than this weir's (${DATA_FORMAT_VERSION})`,
    {
      detail: `${where} was written by ${version < DATA_FORMAT_VERSION ? 'an earlier' : 'a later'} version of weir, which stores state in another layout.`,
      hint: 'weir does not migrate data directories yet: start with a new --data-dir and create the tables, sources and views again (or run the weir that wrote it).',
    },
  );
}
