/**
 * Subscription: one SUBSCRIBE (Materialize's), a relation's or a query's contents followed by
 * its changes as ticks commit. Its output rows are
 *
 *   (mz_timestamp numeric, [mz_progressed bool,] mz_diff int8, columns…)
 *
 * where mz_timestamp is the tick: first the snapshot (the contents as of the tick current at
 * start, each row with its multiplicity as diff) unless SNAPSHOT = false, then each later
 * tick's consolidated changes (retractions first). With PROGRESS, after the snapshot and after
 * every tick T a row (T + 1, true, NULL, NULL…) says that every change before T + 1 was given.
 *
 * Where the changes come from:
 * - a table, source or materialized view: the coordinator's deltas of that collection, as
 *   they are (`TickListener`);
 * - anything else (a view, a query): a dataflow of the query kept in memory for the
 *   subscription's life, hydrated from the snapshot and stepped with its inputs' deltas.
 *
 * The coordinator never waits for a subscription: its listener only queues the tick. Rows
 * wait in a buffer until the client takes them; when more than `limit` rows of changes wait
 * (the snapshot does not count), the subscription ends with 54000 and its buffer is freed.
 * A dropped input ends it too, and so does an error in its dataflow or in the subscribed view.
 *
 *   coordinator tick ─committed()─▶ queue ─(step dataflow)─▶ buffer ─take()─▶ client
 */
import { consolidate, type Change } from '../dataflow/zset.js';
import { buildDataflow, type Dataflow } from '../render/build-dataflow.js';
import type { LogicalPlan } from '../plan/logical-plan.js';
import type { SessionInfo } from '../plan/functions/function-impl.js';
import { sameWatermarks, type Watermarks } from '../dataflow/watermark.js';
import { Numeric, type Row } from '../types/datum.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { T } from '../types/sql-type.js';
import type { Coordinator, TickListener } from './coordinator.js';
import { firstViewError } from './collections.js';
import type { ResultColumn } from './session-api.js';

export interface SubscribeOptions {
  snapshot: boolean;
  progress: boolean;
}

export type SubscribeSource =
  /** A table, source or materialized view: its deltas as the coordinator commits them. */
  | { kind: 'collection'; id: string; columns: ResultColumn[] }
  /** Any other query: its optimized plan, run as a dataflow in memory. */
  | { kind: 'query'; plan: LogicalPlan; columns: ResultColumn[] };

interface QueuedTick {
  tick: number;
  inputs: Map<string, Change[]>;
  watermarks: ReadonlyMap<string, Watermarks>;
  /** The subscribed view had errors after this tick (collection mode). */
  erroring: boolean;
}

export class Subscription {
  /** mz_timestamp, [mz_progressed,] mz_diff, then the relation's columns. */
  readonly columns: ResultColumn[];
  readonly #coord: Coordinator;
  readonly #source: SubscribeSource;
  readonly #options: SubscribeOptions;
  readonly #limit: number;
  readonly #session: SessionInfo | undefined;
  readonly #inputIds: string[];
  readonly #names = new Map<string, string>();
  #dataflow: Dataflow | undefined;
  #lastWatermarks: ReadonlyMap<string, Watermarks> = new Map();
  #unregister: (() => void) | undefined;
  /** The tick the initial snapshot shows; later ticks come through #committed. */
  #startTick = 0;
  #hydrated = false;
  #queue: QueuedTick[] = [];
  #queuedChanges = 0;
  #processing = false;
  #rows: Row[] = [];
  #head = 0;
  /** Snapshot rows still in the buffer (at its front): they do not count against the limit. */
  #snapshotLeft = 0;
  #error: SqlError | undefined;
  #closed = false;
  #wake: (() => void) | undefined;

  private constructor(coord: Coordinator, source: SubscribeSource, options: SubscribeOptions, limit: number, session: SessionInfo | undefined) {
    this.#coord = coord;
    this.#source = source;
    this.#options = options;
    this.#limit = limit;
    this.#session = session;
    this.columns = [
      { name: 'mz_timestamp', type: T.numeric },
      ...(options.progress ? [{ name: 'mz_progressed', type: T.bool }] : []),
      { name: 'mz_diff', type: T.int8 },
      ...source.columns,
    ];
    if (source.kind === 'query') {
      this.#dataflow = buildDataflow(source.plan, { id: 'subscribe', state: null, evalContext: () => coord.evalContext(session) });
      this.#inputIds = this.#dataflow.inputIds;
    } else {
      this.#inputIds = [source.id];
    }
    for (const id of this.#inputIds) this.#names.set(id, coord.catalog.get(id)?.name ?? id);
  }

  /**
   * Starts following: registers with the coordinator and reads the snapshot at one tick
   * (taken under the coordinator's lock, so no tick falls between them), then hydrates.
   */
  static async open(coord: Coordinator, source: SubscribeSource, options: SubscribeOptions, limit: number, session?: SessionInfo): Promise<Subscription> {
    const sub = new Subscription(coord, source, options, limit, session);
    const listener: TickListener = {
      committed: (tick, deltas, watermarks, erroring) => sub.#committed(tick, deltas, watermarks, erroring),
      dropped: (ids) => sub.#dropped(ids),
    };
    const start = await coord.lock.run(async () => {
      for (const id of sub.#inputIds) {
        if (!coord.catalog.get(id)) throw new SqlError(SqlState.undefinedTable, `relation "${sub.#names.get(id)}" does not exist`);
      }
      sub.#unregister = coord.onTick(listener);
      // The snapshot shows every tick up to coord.tick, some of which may still be being written
      // (their listeners not yet told): #committed skips those.
      sub.#startTick = coord.tick;
      return { snap: coord.snapshot(), tick: coord.tick, erroring: coord.viewsWithErrors(), watermarks: coord.watermarks };
    });
    try {
      const inputs = new Map<string, Change[]>();
      for (const id of sub.#inputIds) {
        if (start.erroring.has(id)) {
          const err = await firstViewError(start.snap, id);
          if (err) throw err;
        }
        inputs.set(id, await coord.readCollection(start.snap, id));
      }
      let contents: Change[];
      if (sub.#dataflow) {
        const out = await sub.#dataflow.step(inputs, [], start.watermarks);
        if (out.errs.length > 0) throw new SqlError(out.errs[0]![0].code, out.errs[0]![0].message);
        contents = out.oks;
        sub.#lastWatermarks = start.watermarks;
      } else {
        contents = consolidate(inputs.get(sub.#inputIds[0]!) ?? []);
      }
      if (options.snapshot) {
        sub.#push(start.tick, contents);
        sub.#snapshotLeft = sub.#rows.length;
      }
      if (options.progress) sub.#pushProgress(start.tick + 1);
    } catch (e) {
      sub.close();
      throw e;
    } finally {
      await start.snap.release();
    }
    sub.#hydrated = true;
    void sub.#process();
    return sub;
  }

  /** Rows waiting now. */
  get buffered(): number {
    return this.#rows.length - this.#head;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Takes up to `max` waiting rows. When none wait: throws the error that ended the
   * subscription, if any; else returns [] (the caller may `wait`).
   */
  take(max: number): Row[] {
    const n = Math.min(max, this.buffered);
    if (n === 0) {
      if (this.#error) throw this.#error;
      return [];
    }
    const rows = this.#rows.slice(this.#head, this.#head + n);
    this.#head += n;
    this.#snapshotLeft = Math.max(0, this.#snapshotLeft - n);
    if (this.#head === this.#rows.length) {
      this.#rows = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#rows.length) {
      this.#rows = this.#rows.slice(this.#head);
      this.#head = 0;
    }
    return rows;
  }

  /** Resolves when rows or an error arrive, the subscription closes, `interrupt` is called, or after `timeoutMs`. */
  wait(timeoutMs?: number): Promise<void> {
    if (this.buffered > 0 || this.#error || this.#closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = timeoutMs !== undefined && Number.isFinite(timeoutMs) ? setTimeout(done, Math.max(0, timeoutMs)) : undefined;
      const self = this;
      function done(): void {
        if (timer !== undefined) clearTimeout(timer);
        if (self.#wake === done) self.#wake = undefined;
        resolve();
      }
      this.#wake = done;
    });
  }

  /** Wakes a pending `wait` (a CancelRequest: the waiting statement checks for it). */
  interrupt(): void {
    this.#wake?.();
  }

  /** Stops following and frees the buffer. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#unregister?.();
    this.#unregister = undefined;
    this.#rows = [];
    this.#head = 0;
    this.#queue = [];
    this.#wake?.();
  }

  #committed(tick: number, deltas: ReadonlyMap<string, Change[]>, watermarks: ReadonlyMap<string, Watermarks>, erroringViews: ReadonlySet<string>): void {
    if (this.#closed || this.#error || tick <= this.#startTick) return;
    const inputs = new Map<string, Change[]>();
    let changes = 0;
    for (const id of this.#inputIds) {
      const d = deltas.get(id);
      if (d && d.length > 0) {
        inputs.set(id, d);
        changes += d.length;
      }
    }
    const erroring = this.#source.kind === 'collection' && erroringViews.has(this.#source.id);
    this.#queue.push({ tick, inputs, watermarks, erroring });
    this.#queuedChanges += changes;
    if (this.#overLimit()) return;
    if (this.#hydrated) void this.#process();
  }

  #dropped(ids: readonly string[]): void {
    const gone = this.#inputIds.find((id) => ids.includes(id));
    if (gone === undefined) return;
    this.#fail(new SqlError(SqlState.undefinedTable, `subscribe has been terminated because underlying relation "${this.#names.get(gone)}" was dropped`));
  }

  /** The ticks queued, in order, into the buffer (one at a time: a dataflow step is asynchronous). */
  async #process(): Promise<void> {
    if (this.#processing) return;
    this.#processing = true;
    try {
      while (this.#queue.length > 0 && !this.#closed && !this.#error) {
        const t = this.#queue.shift()!;
        for (const d of t.inputs.values()) this.#queuedChanges -= d.length;
        if (this.#source.kind === 'collection') {
          if (t.erroring) {
            this.#fail((await firstViewError(this.#coord.store, this.#source.id)) ?? new SqlError(SqlState.internalError, 'the subscribed view has errors'));
            break;
          }
          const d = t.inputs.get(this.#source.id);
          if (d) this.#push(t.tick, consolidate(d));
        } else {
          const df = this.#dataflow!;
          const moved = this.#inputIds.some((id) => !sameWatermarks(t.watermarks.get(id), this.#lastWatermarks.get(id)));
          if (t.inputs.size > 0 || moved || df.timeDependent) {
            this.#lastWatermarks = t.watermarks;
            const out = await df.step(t.inputs, [], t.watermarks);
            if (out.errs.length > 0) {
              this.#fail(new SqlError(out.errs[0]![0].code, out.errs[0]![0].message));
              break;
            }
            this.#push(t.tick, out.oks);
          }
        }
        if (this.#options.progress) this.#pushProgress(t.tick + 1);
        if (this.#overLimit()) break;
        this.#wake?.();
      }
    } catch (e) {
      this.#fail(e instanceof SqlError ? e : new SqlError(SqlState.internalError, e instanceof Error ? e.message : String(e)));
    } finally {
      this.#processing = false;
    }
    this.#wake?.();
  }

  /** One tick's changes as output rows, retractions first. */
  #push(tick: number, changes: Change[]): void {
    if (changes.length === 0) return;
    const ts = Numeric.fromBigInt(BigInt(tick));
    const sorted = changes.some((c) => c[1] < 0) ? [...changes].sort((a, b) => a[1] - b[1]) : changes;
    const progress = this.#options.progress;
    for (const [row, diff] of sorted) {
      this.#rows.push(progress ? [ts, false, BigInt(diff), ...row] : [ts, BigInt(diff), ...row]);
    }
  }

  #pushProgress(next: number): void {
    this.#rows.push([Numeric.fromBigInt(BigInt(next)), true, ...this.columns.slice(2).map(() => null)]);
  }

  /** Too many rows of changes wait (queued ticks included): the subscription ends and its buffer is freed. */
  #overLimit(): boolean {
    const waiting = this.buffered - this.#snapshotLeft + this.#queuedChanges;
    if (waiting <= this.#limit) return false;
    this.#rows = [];
    this.#head = 0;
    this.#snapshotLeft = 0;
    this.#queue = [];
    this.#queuedChanges = 0;
    this.#fail(
      new SqlError(SqlState.programLimitExceeded, `subscribe has been terminated because the client fell more than ${this.#limit} rows behind`, {
        detail: 'Changes kept coming faster than the client read them; weir does not hold back writes for a subscriber.',
        hint: 'Read the rows as they come (FETCH more often), or subscribe to a view that changes less.',
      }),
    );
    return true;
  }

  #fail(err: SqlError): void {
    if (this.#error || this.#closed) return;
    this.#error = err;
    this.#unregister?.();
    this.#unregister = undefined;
    this.#queue = [];
    this.#queuedChanges = 0;
    this.#wake?.();
  }
}
