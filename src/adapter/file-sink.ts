/**
 * FileSink: a filesystem sink table's rows (Flink's `'connector' = 'filesystem'`, `'format' =
 * 'csv'`) as CSV files under partition directories, exactly once across kill -9.
 *
 *   tick t commits ──(same LevelDB batch)──▶ outbox `o/<sinkId>/<t>` = per partition, the
 *                                            tick's lines (and the watermark after t)
 *   writer, after the commit, in tick order ──▶ per partition: `.part-<sinkId>-<t>.csv.tmp`
 *       written and fsynced, renamed to `<path>/<col>=<value>/…/part-<sinkId>-<t>.csv`
 *   ──▶ partitions whose time the watermark has passed get their success file
 *   ──▶ the outbox entry is deleted
 *
 * Why an outbox (the Kafka sink's pattern, tick-sink.ts) rather than writing files inside the
 * tick and deleting, at start, those of ticks past the last commit: files are only ever written
 * for committed ticks, so nothing has to be undone after a crash and nothing on disk ever holds
 * a tick weir forgot (a re-run tick can differ: the source may deliver a different batch); the
 * tick commit never waits for the disk the files are on, and a directory that cannot be
 * written (permissions, a full disk) only holds the sink back (status 'retrying: …', the rows
 * kept in the outbox) instead of failing every tick. Delivery is idempotent: a file's name is
 * fixed by its tick and partition and its contents by the outbox entry, so a crash between the
 * rename and the outbox delete makes the next run write the same file again, atomically by
 * rename; a reader never sees a partial file (temporary names start with a dot, as Flink's
 * in-progress files do) and never sees a row twice. Temporary files a crash left are removed
 * at start. The guarantees hold for a process crash; after an OS crash they are those of the
 * LevelDB commit (weir's writes are not synced).
 *
 * State: the outbox (one entry per tick with output, deleted once written); in memory, the
 * partitions written but not yet committed (found again at start by listing the directory:
 * a partition directory without its success file) — bounded by the partitions the watermark
 * has not passed.
 *
 * Lines are Postgres's CSV (COPY … WITH (FORMAT csv)): a value is quoted when it holds the
 * delimiter, a quote or a line break, or is empty (so '' and NULL differ); the partition
 * columns are not repeated in the lines (their values are the directory names), as in Flink.
 * Input must be append-only (checked when the sink is created): a retraction is counted and
 * dropped here, never written.
 */
import { mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import type { Watermarks } from '../dataflow/watermark.js';
import type { KvOp, KvStore } from '../storage/kv-store.js';
import { prefixRange } from '../storage/key-layout.js';
import { SinkDrainer } from './sink-drainer.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import type { SqlType } from '../types/sql-type.js';
import type { RelationItem, SinkItem } from '../catalog/catalog-item.js';
import { fileSinkSpec, type FileSinkSpec } from '../catalog/filesystem-sink-spec.js';
import { copyFormat, CopyWriter } from './copy-format.js';
import { partitionPath, partitionTimeUs } from './partition-path.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

interface OutboxEntry {
  /** [relative partition directory, CSV lines]. */
  files: [string, string][];
  rows: number;
  /** The sink's event-time watermark after the tick (partition-time commits only). */
  wm?: number;
}

interface OpenPartition {
  /** The time the partition stands for (partition-time); undefined: not a timestamp, never committed. */
  timeUs: number | undefined;
  /** When its first file was written here (process-time). */
  firstMs: number;
}

export class FileSink {
  readonly #spec: FileSinkSpec;
  /** The table's column names with the types of the query's columns (what the rows hold). */
  readonly #columns: { name: string; type: SqlType }[];
  readonly #writer: CopyWriter;
  readonly #prefix: Uint8Array;
  /** Partitions with files but no success file yet (commit policies only). */
  readonly #open = new Map<string, OpenPartition>();
  /** The last watermark put in an outbox entry, and the last one the writer saw. */
  #recordedWm: number | undefined;
  #wm: number | undefined;
  #started = false;
  #closed = false;
  readonly #drainer: SinkDrainer;
  #commitTimer: NodeJS.Timeout | undefined;
  #retractions = 0;

  constructor(
    readonly item: SinkItem,
    readonly table: RelationItem,
    readonly store: KvStore,
    readonly log: Logger,
  ) {
    this.#spec = fileSinkSpec(table.sinkConnector!.options, table.columns, table.sinkConnector!.partitionedBy);
    this.#columns = item.columns.map((c, i) => ({ name: table.columns[i]?.name ?? c.name, type: c.type }));
    const dataColumns = this.#spec.dataColumns.map((i) => this.#columns[i]!);
    this.#writer = new CopyWriter(copyFormat([{ name: 'format', value: 'csv' }, { name: 'delimiter', value: this.#spec.delimiter }, { name: 'null', value: this.#spec.nullLiteral }], 'to'), dataColumns);
    this.#prefix = utf8.encode(`o/${item.id}/`);
    this.#drainer = new SinkDrainer({
      drain: () => this.#drain(),
      log,
      sink: item.name,
      doing: 'filesystem sink: writing',
      describe,
      waitForRetry: true,
      logRecovery: true,
    });
  }

  outboxOps(tick: number, changes: Change[], watermarks?: Watermarks): KvOp[] {
    const files = new Map<string, string>();
    let rows = 0;
    for (const [row, diff] of changes) {
      if (diff < 0) {
        if (this.#retractions++ === 0) this.log.warn({ sink: this.item.name }, 'filesystem sink: a retraction was dropped (the input should be append-only)');
        continue;
      }
      const rel = partitionPath(row, this.#columns, this.#spec.partitionColumns, this.#spec.defaultPartitionName);
      const line = this.#writer.line(this.#spec.dataColumns.map((i) => row[i]!));
      files.set(rel, (files.get(rel) ?? '') + (diff === 1 ? line : line.repeat(diff)));
      rows += diff;
    }
    const entry: OutboxEntry = { files: [...files], rows };
    if (this.#spec.commit?.trigger === 'partition-time' && watermarks && watermarks.size > 0) {
      const wm = Math.min(...watermarks.values());
      if (this.#recordedWm === undefined || wm > this.#recordedWm) {
        entry.wm = wm;
        this.#recordedWm = wm;
      }
    }
    if (rows === 0 && entry.wm === undefined) return [];
    return [{ type: 'put', key: utf8.encode(`o/${this.item.id}/${String(tick).padStart(16, '0')}`), value: utf8.encode(JSON.stringify(entry)) }];
  }

  status(): string {
    return this.#drainer.status();
  }

  /** After a failure, ticks' kicks wait for the retry timer (one attempt, one log line, per backoff step). */
  kick(): void {
    this.#drainer.kick();
  }

  async #drain(): Promise<void> {
    if (!this.#started) {
      await this.#recoverDirectory(this.#spec.dir, this.#spec.partitionColumns.length, '');
      this.#started = true;
    }
    for (;;) {
      const batch: [Uint8Array, Uint8Array][] = [];
      for await (const chunk of this.store.scan({ ...prefixRange(this.#prefix), limit: 64 })) batch.push(...chunk);
      if (batch.length === 0 || this.#closed) break;
      for (const [k, v] of batch) {
        if (this.#closed) return;
        const tick = Number(utf8d.decode(k.subarray(this.#prefix.length)));
        const entry = JSON.parse(utf8d.decode(v)) as OutboxEntry;
        for (const [rel, lines] of entry.files) await this.#writeFile(rel, `part-${this.item.id}-${tick}.csv`, lines);
        if (entry.wm !== undefined) this.#wm = Math.max(this.#wm ?? entry.wm, entry.wm);
        await this.#commitPartitions();
        await this.store.write([{ type: 'del', key: k }]);
      }
    }
    await this.#commitPartitions();
  }

  /** Writes a file atomically: a temporary name, fsync, rename. */
  async #writeFile(rel: string, name: string, contents: string): Promise<void> {
    const dir = join(this.#spec.dir, rel);
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${name}.tmp`);
    const fh = await open(tmp, 'w');
    try {
      await fh.writeFile(contents);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await rename(tmp, join(dir, name));
    if (this.#spec.commit && rel !== '' && !this.#open.has(rel)) {
      this.#open.set(rel, { timeUs: partitionTimeUs(rel, this.#spec.commit.timestampPattern), firstMs: Date.now() });
    }
  }

  /** Success files for the open partitions whose time (+ delay) the watermark or the clock has passed. */
  async #commitPartitions(): Promise<void> {
    const commit = this.#spec.commit;
    if (!commit || this.#open.size === 0) return;
    const nowMs = Date.now();
    let nextDueMs: number | undefined;
    for (const [rel, p] of this.#open) {
      let due: boolean;
      if (commit.trigger === 'partition-time') {
        due = p.timeUs !== undefined && this.#wm !== undefined && this.#wm >= p.timeUs + commit.delayUs;
      } else {
        const dueMs = p.firstMs + commit.delayUs / 1000;
        due = nowMs >= dueMs;
        if (!due) nextDueMs = Math.min(nextDueMs ?? dueMs, dueMs);
      }
      if (!due) continue;
      await this.#writeFile(rel, commit.successFileName, '');
      this.#open.delete(rel);
      this.log.info({ sink: this.item.name, partition: rel }, 'filesystem sink: partition committed');
    }
    clearTimeout(this.#commitTimer);
    if (nextDueMs !== undefined && !this.#closed) this.#commitTimer = setTimeout(() => this.kick(), Math.max(10, nextDueMs - nowMs));
  }

  /**
   * At start: removes this sink's temporary files (a crash mid-write) and finds the partitions
   * with files but no success file, down to the partition depth.
   */
  async #recoverDirectory(dir: string, depth: number, rel: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw e;
    }
    const mine = `.part-${this.item.id}-`;
    let hasFiles = false;
    let committed = false;
    for (const e of entries) {
      if (e.isDirectory() && depth > 0 && e.name.includes('=')) await this.#recoverDirectory(join(dir, e.name), depth - 1, `${rel}${e.name}/`);
      else if (e.isFile() && e.name.startsWith(mine) && e.name.endsWith('.tmp')) await rm(join(dir, e.name), { force: true });
      else if (e.isFile() && e.name.startsWith('part-')) hasFiles = true;
      else if (e.isFile() && e.name === this.#spec.commit?.successFileName) committed = true;
    }
    if (depth === 0 && rel !== '' && hasFiles && !committed && this.#spec.commit) {
      this.#open.set(rel, { timeUs: partitionTimeUs(rel, this.#spec.commit.timestampPattern), firstMs: Date.now() });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#drainer.close();
    clearTimeout(this.#commitTimer);
  }
}

function describe(e: unknown): string {
  if (SqlError.is(e)) return e.message;
  const err = e as NodeJS.ErrnoException;
  if (err.code === 'EACCES' || err.code === 'EPERM') return `permission denied: ${err.path ?? ''}`;
  if (err.code === 'ENOSPC') return `no space left on device: ${err.path ?? ''}`;
  return err.message ?? String(e);
}

/**
 * At CREATE TABLE: the directory exists or can be made, and a file can be written in it.
 * 42501 when permission is denied, 58030 (io_error) for any other failure.
 */
export async function checkSinkDirectory(spec: FileSinkSpec): Promise<void> {
  const probe = join(spec.dir, `.weir-probe-${process.pid}-${Date.now()}`);
  try {
    await mkdir(spec.dir, { recursive: true });
    const fh = await open(probe, 'w');
    await fh.close();
    await rm(probe, { force: true });
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    const denied = err.code === 'EACCES' || err.code === 'EPERM' || err.code === 'EROFS';
    throw new SqlError(denied ? SqlState.insufficientPrivilege : SqlState.ioError, `cannot write to the filesystem sink directory "${spec.dir}"`, {
      detail: `${err.code ?? 'error'}: ${err.message}.`,
      hint: denied ? 'Choose a directory the weir server may write to.' : undefined,
    });
  }
}
