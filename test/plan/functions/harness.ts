/**
 * Test harness for plan/functions: a case is a call (operator, function or cast) on typed
 * literals and the text Postgres prints for its result (or the SQLSTATE it raises). `evalCase`
 * runs it through weir's registry the way a bound plan would (resolveCall, casts to the chosen
 * signature, strictness, eval, formatDatum); `caseSql` spells the same call as Postgres SQL, so
 * oracle.test.ts can check every expected value against real Postgres (PGlite).
 */
import { lookupCast, resolveCall } from '../../../src/plan/functions/registry.js';
import type { EvalContext } from '../../../src/plan/functions/function-impl.js';
import type { Datum } from '../../../src/types/datum.js';
import { SqlError } from '../../../src/types/sql-error.js';
import { arrayOf, T, typeName, type SqlType } from '../../../src/types/sql-type.js';
import { formatDatum, parseDatum } from '../../../src/types/text-format.js';

export interface Arg {
  text: string | null;
  type: SqlType;
}

export type Call =
  | { kind: 'op'; name: string; args: Arg[] }
  | { kind: 'fn'; name: string; args: Arg[] }
  | { kind: 'cast'; arg: Arg; to: SqlType };

export type Want = string | null | { error: string };

export interface Case {
  call: Call;
  want: Want;
  /** Session TimeZone for the case (default UTC). */
  tz?: string;
}

const lit = (type: SqlType) => (v: string | number | null): Arg => ({ text: v === null ? null : String(v), type });
export const i2 = lit(T.int2);
export const i4 = lit(T.int4);
export const i8 = lit(T.int8);
export const f4 = lit(T.float4);
export const f8 = lit(T.float8);
export const num = lit(T.numeric);
export const txt = lit(T.text);
export const vc = lit(T.varchar);
export const bool = lit(T.bool);
export const date = lit(T.date);
export const time = lit(T.time);
export const ts = lit(T.timestamp);
export const tstz = lit(T.timestamptz);
export const ivl = lit(T.interval);
export const jsonb = lit(T.jsonb);
export const bytea = lit(T.bytea);
export const unk = lit(T.unknown);
export const arr = (element: SqlType) => lit(arrayOf(element));
export const typed = (type: SqlType) => lit(type);

export const op = (name: string, ...args: Arg[]): Call => ({ kind: 'op', name, args });
export const fn = (name: string, ...args: Arg[]): Call => ({ kind: 'fn', name, args });
export const cast = (arg: Arg, to: SqlType): Call => ({ kind: 'cast', arg, to });

export const err = (code: string): Want => ({ error: code });

export interface Outcome {
  value?: string | null;
  type?: string;
  error?: string;
  message?: string;
}

function datumOf(a: Arg): Datum {
  if (a.text === null) return null;
  return a.type.kind === 'unknown' ? a.text : parseDatum(a.text, a.type);
}

/** Evaluates a call as a bound plan would; errors become outcomes. */
export function evalCase(c: Case): Outcome {
  const ctx: EvalContext = { now: 0, timeZone: c.tz ?? 'UTC' };
  try {
    const call = c.call;
    if (call.kind === 'cast') {
      const found = lookupCast(call.arg.type, call.to, { explicit: true });
      if (!found) return { error: '42846' };
      const d = datumOf(call.arg);
      const v = d === null ? null : found.impl.eval([d], ctx);
      return { value: v === null ? null : formatDatum(v, call.to), type: typeName(call.to) };
    }
    const types = call.args.map((a) => a.type);
    const r = resolveCall(call.name, types);
    if (!r) return { error: '42883' };
    const args = call.args.map((a, i) => {
      const d = datumOf(a);
      const target = r.argTypes[i]!;
      if (d === null || JSON.stringify(a.type) === JSON.stringify(target)) return d;
      const conv = lookupCast(a.type, target);
      if (!conv) throw new Error(`no cast from ${typeName(a.type)} to ${typeName(target)}`);
      return conv.impl.eval([d], ctx);
    });
    if (r.impl.strict && args.some((a) => a === null)) return { value: null, type: typeName(r.returnType) };
    const v = r.impl.eval(args, ctx);
    return { value: v === null ? null : formatDatum(v, r.returnType), type: typeName(r.returnType) };
  } catch (e) {
    if (SqlError.is(e)) return { error: e.code, message: e.message };
    throw e;
  }
}

function argSql(a: Arg): string {
  if (a.text === null) return a.type.kind === 'unknown' ? 'NULL' : `NULL::${typeName(a.type)}`;
  const q = `'${a.text.replace(/'/g, "''")}'`;
  return a.type.kind === 'unknown' ? q : `${q}::${typeName(a.type)}`;
}

/** Functions whose names are keywords in Postgres's grammar: call them qualified. */
const QUALIFY = new Set(['extract', 'substring', 'position', 'overlay', 'trim']);

export function callSql(call: Call): string {
  switch (call.kind) {
    case 'cast':
      return `(${argSql(call.arg)})::${typeName(call.to)}`;
    case 'op':
      return call.args.length === 1
        ? `(${call.name} ${argSql(call.args[0]!)})`
        : `(${argSql(call.args[0]!)} ${call.name} ${argSql(call.args[1]!)})`;
    case 'fn':
      return `${QUALIFY.has(call.name) ? 'pg_catalog.' : ''}${call.name}(${call.args.map(argSql).join(', ')})`;
  }
}

export function describeCall(call: Call): string {
  return callSql(call);
}

/** Compares an outcome with a wanted value; returns a message when they differ. */
export function mismatch(o: Outcome, want: Want): string | undefined {
  if (want !== null && typeof want === 'object') {
    return o.error === want.error ? undefined : `want error ${want.error}, got ${o.error ? `error ${o.error} ${o.message ?? ''}` : JSON.stringify(o.value)}`;
  }
  if (o.error) return `want ${JSON.stringify(want)}, got error ${o.error} ${o.message ?? ''}`;
  return o.value === want ? undefined : `want ${JSON.stringify(want)}, got ${JSON.stringify(o.value)}`;
}
