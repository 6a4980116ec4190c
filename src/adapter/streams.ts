/**
 * StreamRuntime: the live side of a source or stream table (one with a WATERMARK or a
 * connector). It owns the WatermarkFilter that splits late rows off and makes the watermark,
 * the generator of a `nexmark`/`datagen` source and its position, and the progress record
 * `m/src/<id>` (position, watermark, late counts) that every tick writes in its batch, so
 * after a crash a source resumes exactly where the last committed tick left it.
 */
import type { Logger } from 'pino';
import type { Change } from '../dataflow/zset.js';
import type { Watermarks } from '../dataflow/watermark.js';
import { compileLinear } from '../render/compile-linear.js';
import { compileScalar } from '../render/compile-scalar.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { ScalarExpr } from '../plan/scalar-expr.js';
import { monotoneColumn } from '../plan/watermark-derivation.js';
import { optimize } from '../plan/optimize.js';
import type { KvOp, KvReader } from '../storage/kv-store.js';
import { keys } from '../storage/key-layout.js';
import type { SourceLog } from '../storage/source-log.js';
import type { Row } from '../types/datum.js';
import type { Column } from '../types/sql-type.js';
import { GeneratorSource } from '../sources/generator-source.js';
import { avroSchemaColumns } from '../sources/kafka/decode-avro.js';
import { KafkaIngest, kafkaSpec } from './kafka-ingest.js';
import { PartitionWatermarks, type PartitionWatermarksSnapshot } from '../sources/kafka/partition-watermarks.js';
import type { Partitioned } from '../sources/watermark-filter.js';
import { WatermarkFilter, type LateCounts } from '../sources/watermark-filter.js';
import { bindComputedQuery, bindWatermarkQuery, PHYSICAL_ID } from '../catalog/plan-source.js';
import type { RelationItem } from '../catalog/catalog-item.js';
import type { StreamStats } from '../catalog/system/index.js';
import type { CatalogReader } from '../sql/catalog-reader.js';
import type { WithOption } from '../sql/ast/weir-ast.js';
import { SqlError, SqlState } from '../types/sql-error.js';

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

interface Progress {
  position: number;
  watermark?: number;
  late?: LateCounts;
  /** Rows accepted into the stream since it was created. */
  rows?: number;
  /** Kafka: the next offset per partition. */
  kafka?: Record<string, string>;
  /** Kafka: KafkaIngest.epoch when not 0. */
  kafkaEpoch?: number;
  /** Kafka: each partition's watermark. */
  partitionWatermarks?: PartitionWatermarksSnapshot;
}

export class StreamRuntime {
  readonly filter: WatermarkFilter | null;
  readonly generator: GeneratorSource | null;
  readonly kafka: KafkaIngest | null;
  /** Kafka with a WATERMARK: per-partition watermarks (their minimum is the filter's). */
  #partitionWatermarks: PartitionWatermarks | undefined;
  /** A partition silent this long (wall ms) stops holding the watermark back (`watermark.idle.timeout.ms`). */
  readonly #idleTimeoutMs: number;
  /** Kafka: the positions of the last committed tick (what a failed tick rewinds to). */
  kafkaPositions: Record<string, string> | undefined;
  /** Kafka: the status of the last poll when not running (the coordinator logs its changes). */
  problem: string | undefined;
  /** Why this stream's last source tick failed (storing its rows: a full disk), until one commits. */
  tickFailure: string | undefined;
  position = 0;
  rows = 0;
  exhausted = false;
  /** Where pacing counts from: the position and wall time when this process started driving it. */
  #runStart = { position: 0, ms: 0 };
  readonly #makeFilter: () => WatermarkFilter | null;

  /** Appends a source's computed columns to its physical rows (null: it has none). */
  readonly #complete: ((rows: Row[]) => Row[]) | null;

  private constructor(
    readonly item: RelationItem,
    makeFilter: () => WatermarkFilter | null,
    complete: ((rows: Row[]) => Row[]) | null,
    sourceLog: SourceLog,
    log: Logger | undefined,
  ) {
    this.#makeFilter = makeFilter;
    this.#complete = complete;
    this.filter = makeFilter();
    const c = item.stream?.connector;
    this.generator = c && c.name !== 'kafka' ? new GeneratorSource(c.name, c.options, physicalColumns(item), c.baseTimeUs) : null;
    this.#idleTimeoutMs = Number(c?.options.find((o) => o.key === 'watermark.idle.timeout.ms')?.value ?? 10_000);
    const kafkaLog = log && ((level: string, message: string, extra: object) => log[level as 'info']({ source: item.name, ...extra }, message));
    this.kafka =
      c && c.name === 'kafka'
        ? new KafkaIngest(item.id, kafkaSpec(c.options, c.format, (item.primaryKey?.length ?? 0) > 0), item.columns, item.primaryKey, sourceLog, c.include, kafkaLog)
        : null;
  }

  /**
   * `sourceLog`: where a PLAIN Kafka source's rows go; `log`: where a Kafka source reports its
   * faults (position resets, partitions added, a stop).
   */
  static create(item: RelationItem, catalog: CatalogReader, sourceLog: SourceLog, log?: Logger): StreamRuntime {
    const wm = item.stream?.watermark;
    let makeFilter: () => WatermarkFilter | null = () => null;
    if (wm) {
      const plan = optimize(bindWatermarkQuery(item, catalog).plan);
      const scalar = watermarkScalar(plan);
      let expr: (row: Row) => number | null;
      if (scalar) {
        // The usual shape, `SELECT ts - INTERVAL … FROM src`: one compiled scalar per row.
        const fn = compileScalar(scalar, { ctx: { now: 0, timeZone: 'UTC' } });
        expr = (row) => {
          const v = fn(row);
          return typeof v === 'number' ? v : null;
        };
      } else {
        const fn = compileLinear(plan);
        if (!fn) throw new Error(`internal error: the watermark expression of ${item.name} is not linear`);
        const ctx = { now: 0, timeZone: 'UTC' };
        // One input map and one change, reused for every row (this runs per ingested row).
        const change: Change = [[], 1];
        const inputs = new Map([[item.id, [change]]]);
        expr = (row) => {
          change[0] = row;
          const v = fn(inputs, [], ctx)[0]?.[0][0];
          return typeof v === 'number' ? v : null;
        };
      }
      const monotone = scalar !== undefined && monotoneColumn(scalar) === wm.column;
      const late = item.stream!.late;
      makeFilter = () => new WatermarkFilter({ column: wm.column, expr, monotone, policy: late.policy, allowedLatenessUs: late.allowedLatenessUs });
    }
    return new StreamRuntime(item, makeFilter, computeColumns(item, catalog), sourceLog, log);
  }

  /** Restores position, watermark and counts from the last committed tick. */
  async load(reader: KvReader): Promise<void> {
    const bytes = await reader.get(keys.sourceProgress(this.item.id));
    if (this.kafka) this.kafka.epoch = 0;
    if (!bytes) return;
    const p = JSON.parse(utf8d.decode(bytes)) as Progress;
    this.position = p.position;
    this.rows = p.rows ?? 0;
    this.kafkaPositions = p.kafka;
    if (this.kafka) this.kafka.epoch = p.kafkaEpoch ?? 0;
    if (this.kafka && this.filter) this.#partitionWatermarks = new PartitionWatermarks([], Date.now(), this.#idleTimeoutMs, p.partitionWatermarks);
    if (this.filter) {
      this.filter.watermark = p.watermark;
      if (p.late) Object.assign(this.filter.counts, p.late);
    }
  }

  startPacing(nowMs: number): void {
    this.#runStart = { position: this.position, ms: nowMs };
  }

  /** The column watermarks the stream's readers see; undefined before any. */
  watermarks(): Watermarks | undefined {
    const w = this.filter?.effectiveWatermark;
    return w === undefined ? undefined : new Map([[this.filter!.spec.column, w]]);
  }

  /**
   * The counters weir_source_stats shows, from the progress record in `reader`: those of the
   * committed tick a SELECT reads, never the live ones of a tick still in flight.
   */
  async stats(reader: KvReader): Promise<StreamStats> {
    const bytes = await reader.get(keys.sourceProgress(this.item.id));
    const p = bytes ? (JSON.parse(utf8d.decode(bytes)) as Progress) : undefined;
    return {
      rows: p?.rows ?? 0,
      position: p?.position ?? 0,
      watermark: p?.watermark,
      lateDropped: p?.late?.dropped ?? 0,
      lateSideOutput: p?.late?.sideOutput ?? 0,
      lateCorrected: p?.late?.corrected ?? 0,
      status: this.tickFailure !== undefined ? `retrying: ${this.tickFailure}` : this.kafka ? this.kafka.status() : this.exhausted ? 'finished' : 'running',
    };
  }

  /** The progress record for the tick's batch. */
  progressOp(): KvOp {
    const p: Progress = { position: this.position, rows: this.rows };
    if (this.kafka) p.kafka = this.kafka.positions();
    if (this.kafka?.epoch) p.kafkaEpoch = this.kafka.epoch;
    if (this.#partitionWatermarks) p.partitionWatermarks = this.#partitionWatermarks.snapshot();
    if (this.filter) {
      p.watermark = this.filter.watermark;
      p.late = { ...this.filter.counts };
    }
    return { type: 'put', key: keys.sourceProgress(this.item.id), value: utf8.encode(JSON.stringify(p)) };
  }

  /**
   * Splits incoming rows (in arrival order) into accepted and late ones. `partitionOf`: a Kafka
   * source's partition per row, for per-partition watermarks.
   */
  split(rows: Row[], partitionOf?: number[]): { accepted: Row[]; late: Row[] } {
    let partitioned: Partitioned | undefined;
    if (partitionOf && this.filter && this.kafka) {
      const nowMs = Date.now();
      this.#partitionWatermarks ??= new PartitionWatermarks([], nowMs, this.#idleTimeoutMs);
      const ids = new Set([...this.kafka.partitionIds(), ...partitionOf]);
      this.#partitionWatermarks.assign([...ids], nowMs);
      for (const p of new Set([...partitionOf, ...this.kafka.backlogged()])) this.#partitionWatermarks.touch(p, nowMs);
      partitioned = { partitionOf, watermarks: this.#partitionWatermarks, nowMs };
    }
    const out = this.filter ? this.filter.split(rows, partitioned) : { accepted: rows, late: [] };
    this.rows += out.accepted.length;
    return out;
  }

  /** Generates the rows available now, at most `max`; advances the position. */
  poll(nowMs: number, max: number): Row[] {
    const g = this.generator;
    if (!g || this.exhausted) return [];
    const to = Math.min(g.available(this.#runStart.position, nowMs - this.#runStart.ms), this.position + Math.min(max, g.chunkSize));
    if (to <= this.position) return [];
    const out: Row[] = [];
    const reached = g.rows(this.position, to, out);
    if (reached < to || (g.end !== undefined && reached >= g.end)) this.exhausted = true;
    this.position = reached;
    return this.#complete ? this.#complete(out) : out;
  }

  /**
   * The accepted rows of a generator source up to the position stored in `reader`: its history,
   * generated again and split by a fresh filter exactly as it was live.
   */
  async history(reader: KvReader): Promise<Row[]> {
    const g = this.generator;
    if (!g) return [];
    const bytes = await reader.get(keys.sourceProgress(this.item.id));
    const position = bytes ? (JSON.parse(utf8d.decode(bytes)) as Progress).position : 0;
    const filter = this.#makeFilter();
    const out: Row[] = [];
    const chunk = 65536;
    for (let from = 0; from < position; from += chunk) {
      let rows: Row[] = [];
      g.rows(from, Math.min(position, from + chunk), rows);
      if (this.#complete) rows = this.#complete(rows);
      for (const r of filter ? filter.split(rows).accepted : rows) out.push(r);
    }
    return out;
  }
}

/** The WATERMARK expression of `SELECT expr FROM src` planned as Project([k], Map([expr], Get)), or undefined for another shape. */
function watermarkScalar(plan: LogicalPlan): ScalarExpr | undefined {
  if (plan.kind !== 'Project' || plan.outputs.length !== 1) return undefined;
  const k = plan.outputs[0]!;
  const input = plan.input;
  if (input.kind === 'Get') return { kind: 'Column', index: k, type: input.schema[k]!.type, name: input.schema[k]!.name };
  if (input.kind !== 'Map' || input.input.kind !== 'Get' || input.exprs.length !== 1 || k !== input.input.schema.length) return undefined;
  return input.exprs[0];
}

/** The columns a source's connector produces: all but the computed ones. */
function physicalColumns(item: RelationItem): Column[] {
  const computed = new Set((item.stream?.computed ?? []).map((c) => c.column));
  return item.columns.filter((_, i) => !computed.has(i));
}

/**
 * The function completing a physical row with the computed columns (Flink's `name AS expr`),
 * compiled once. A row whose expression fails (a bad cast) gets NULL there: a source row is
 * never lost to its computed column.
 */
function computeColumns(item: RelationItem, catalog: CatalogReader): ((rows: Row[]) => Row[]) | null {
  const computed = item.stream?.computed;
  if (!computed || computed.length === 0) return null;
  const physical = physicalColumns(item);
  const exprs: string[] = [];
  let p = 0;
  for (let i = 0; i < item.columns.length; i++) {
    const c = computed.find((x) => x.column === i);
    exprs.push(c ? c.expr : `"${physical[p++]!.name.replace(/"/g, '""')}"`);
  }
  const fn = compileLinear(optimize(bindComputedQuery(item.name, physical, exprs, catalog).plan));
  if (!fn) throw new Error(`internal error: the computed columns of ${item.name} are not linear`);
  const ctx = { now: 0, timeZone: 'UTC' };
  const run = (rows: Row[]): Row[] => fn(new Map([[PHYSICAL_ID, rows.map((r): Change => [r, 1])]]), [], ctx).map((c) => c[0]);
  return (rows) => {
    try {
      return run(rows);
    } catch {
      return rows.map((r) => {
        try {
          return run([r])[0]!;
        } catch {
          const out: Row = [];
          let q = 0;
          for (let i = 0; i < item.columns.length; i++) out.push(computed.some((x) => x.column === i) ? null : r[q++]!);
          return out;
        }
      });
    }
  };
}

/** The columns a connector produces when CREATE SOURCE lists none. */
export function connectorColumns(connector: string, options: WithOption[], format?: { format: string; encode: string; options: WithOption[] }): Column[] {
  if (connector === 'kafka' && format?.encode.toLowerCase() === 'avro') return avroSchemaColumns(format.format, format.options);
  if (connector !== 'nexmark') {
    throw new SqlError(SqlState.featureNotSupported, `a ${connector} source needs a column list`);
  }
  return new GeneratorSource('nexmark', options, null, 0).schema;
}
