/**
 * GeneratorSource: a `nexmark` or `datagen` source as the coordinator drives it. Rows are a
 * pure function of their position (generators/), so what is persisted is only the position
 * (and the base time the catalog item keeps): reading the source's history, for a SELECT or
 * to hydrate a new view, generates it again.
 *
 * Pacing: rows become available at the configured rate (nexmark.event.rate events/s,
 * datagen.rows.per.second), counted from the moment the server started driving the source,
 * so a restart after a pause does not produce a burst of the pause's events; with
 * `<connector>.max.emit.speed = 'true'` (weir's option, Flink's maxEmitSpeed) as fast as the
 * ticks take them. `nexmark.max.chunk.size` bounds the rows one tick takes (RisingWave's chunk
 * size), so a fast source still streams in several ticks. A bounded source (nexmark.event.num, a datagen sequence's end) stops there.
 *
 * Declared columns (`CREATE SOURCE bid (auction bigint, …)`) select the generator's columns by
 * name, in the declared order; types must match the generator's (`converter`: struct fields by
 * name ignoring case and underscores, strings of any length, int8 as int4).
 */
import { Record as SqlRecord, type Datum, type Row } from '../types/datum.js';
import type { Column, SqlType } from '../types/sql-type.js';
import { typeName } from '../types/sql-type.js';
import { SqlError, SqlState } from '../types/sql-error.js';
import { nexmarkOptions, nexmarkRows, nexmarkSchema, type NexmarkOptions } from './generators/nexmark.js';
import { datagenRows, datagenSpec, type DatagenSpec } from './generators/datagen.js';

export type GeneratorKind = 'nexmark' | 'datagen';

export interface GeneratorOption {
  key: string;
  value: string;
}

export class GeneratorSource {
  readonly schema: Column[];
  /** Rows per second of wall time; Infinity = as fast as ticks take them. */
  readonly rate: number;
  /** At most this many rows per poll (`nexmark.max.chunk.size`; Infinity: the coordinator's bound only). */
  readonly chunkSize: number;
  /** Positions past this are never produced (undefined: unbounded). */
  readonly end: number | undefined;
  readonly #generate: (from: number, to: number, out: Row[]) => number;
  /** Output column i = generator column projection[i].index, converted; null = the generator's order. */
  readonly #projection: { index: number; convert: Convert | null }[] | null;

  constructor(kind: GeneratorKind, options: readonly GeneratorOption[], declared: Column[] | null, baseTimeUs: number) {
    const maxSpeedKey = `${kind}.max.emit.speed`;
    const maxSpeed = options.some((o) => o.key === maxSpeedKey && o.value.toLowerCase() === 'true');
    const rest = options.filter((o) => o.key !== maxSpeedKey && o.key !== 'connector');
    let generated: Column[];
    if (kind === 'nexmark') {
      const opts: NexmarkOptions = nexmarkOptions(rest, baseTimeUs);
      generated = nexmarkSchema(opts.tableType);
      this.rate = maxSpeed ? Infinity : opts.eventRate;
      this.end = opts.maxEvents;
      this.chunkSize = opts.maxChunkSize ?? Infinity;
      this.#generate = (from, to, out) => {
        nexmarkRows(opts, from, to, out);
        return to - from;
      };
    } else {
      if (!declared || declared.length === 0) {
        throw new SqlError(SqlState.invalidParameterValue, 'a datagen source needs a column list');
      }
      const spec: DatagenSpec = datagenSpec(declared, rest, baseTimeUs);
      generated = declared;
      this.rate = maxSpeed ? Infinity : spec.rowsPerSecond;
      this.end = undefined;
      this.chunkSize = Infinity;
      this.#generate = (from, to, out) => datagenRows(spec, from, to, out);
    }
    if (declared && declared.length > 0 && kind === 'nexmark') {
      const picks = declared.map((c) => {
        const i = generated.findIndex((g) => g.name.toLowerCase() === c.name.toLowerCase());
        if (i < 0) {
          throw new SqlError(SqlState.undefinedColumn, `column "${c.name}" is not produced by the nexmark generator`, {
            detail: `It produces: ${generated.map((g) => g.name).join(', ')}.`,
          });
        }
        return { index: i, convert: converter(generated[i]!.type, c.type, c.name) };
      });
      // Every generated column in its own place, unconverted: the generated rows are the rows.
      const identity = picks.length === generated.length && picks.every((p, i) => p.index === i && p.convert === null);
      this.#projection = identity ? null : picks;
      this.schema = declared;
    } else {
      this.#projection = null;
      this.schema = declared && declared.length > 0 ? declared : generated;
    }
  }

  /** Appends the rows of positions [from, to) to `out`; returns the position reached (< to when the source ran out). */
  rows(from: number, to: number, out: Row[]): number {
    const end = this.end === undefined ? to : Math.min(to, this.end);
    if (end <= from) return from;
    const proj = this.#projection;
    if (proj === null) return from + this.#generate(from, end, out);
    const raw: Row[] = [];
    const n = this.#generate(from, end, raw);
    const width = proj.length;
    for (let i = 0; i < raw.length; i++) {
      const r = raw[i]!;
      const o: Datum[] = new Array(width);
      for (let c = 0; c < width; c++) {
        const p = proj[c]!;
        o[c] = p.convert ? p.convert(r[p.index]!) : r[p.index]!;
      }
      out.push(o as Row);
    }
    return from + n;
  }

  /** The position the source may have reached `elapsedMs` after it started at `startPosition`. */
  available(startPosition: number, elapsedMs: number): number {
    const n = this.rate === Infinity ? Number.MAX_SAFE_INTEGER : startPosition + Math.floor((elapsedMs * this.rate) / 1000);
    return this.end === undefined ? n : Math.min(n, this.end);
  }
}

type Convert = (d: Datum) => Datum;

/** A struct field's name for matching: case and underscores ignored (email_address = emailAddress). */
const fieldKey = (name: string) => name.toLowerCase().replace(/_/g, '');

/**
 * How a generated value becomes a value of the declared type (null: as it is). Strings match
 * text / varchar of any length, timestamps any precision, int8 may be declared int4 / int2
 * (Flink's `event_type int`); struct fields are matched by name ignoring case and underscores,
 * so Flink's ROW<emailAddress …> reads the generator's email_address.
 */
function converter(g: SqlType, c: SqlType, path: string): Convert | null {
  const mismatch = () => new SqlError(SqlState.datatypeMismatch, `column "${path}" is ${typeName(g)} in the nexmark generator, not ${typeName(c)}`);
  if (g.kind === 'record') {
    if (c.kind !== 'record') throw mismatch();
    const picks = c.fields.map((f) => {
      const i = g.fields.findIndex((x) => fieldKey(x.name) === fieldKey(f.name));
      if (i < 0) {
        throw new SqlError(SqlState.undefinedColumn, `field "${path}.${f.name}" is not produced by the nexmark generator`, {
          detail: `It produces: ${g.fields.map((x) => x.name).join(', ')}.`,
        });
      }
      return { index: i, convert: converter(g.fields[i]!.type, f.type, `${path}.${f.name}`) };
    });
    if (picks.length === g.fields.length && picks.every((p, i) => p.index === i && p.convert === null)) return null;
    return (d) => (d === null ? null : new SqlRecord(picks.map((p) => ((d as SqlRecord).fields[p.index] === null ? null : p.convert ? p.convert((d as SqlRecord).fields[p.index]!) : (d as SqlRecord).fields[p.index]!))));
  }
  if (g.kind === 'int8' && (c.kind === 'int4' || c.kind === 'int2')) return (d) => (d === null ? null : Number(d));
  const norm = (t: SqlType) => (t.kind === 'varchar' ? 'text' : t.kind === 'timestamp' || t.kind === 'timestamptz' ? t.kind : typeName(t));
  if (norm(g) !== norm(c)) throw mismatch();
  return null;
}
