/**
 * Casts to the object-identifier types (regclass, regtype, regnamespace, regproc, regrole…).
 * weir has no reg* types of its own: their values are plain oids. A string literal cast to
 * regclass or regtype is looked up now, at bind time, against the CatalogReader, and becomes
 * an oid Literal ('orders'::regclass → 16396; 'int4'::regtype → 23), as Postgres's input
 * functions do; a number or any other expression is cast to oid.
 *
 * A reg* value is an oid, so it prints as a number, except where it is cast to text as clients
 * write it (`c.oid::regclass::text`, `t::regtype::text`): then it is the object's name, as in
 * Postgres (`regTextCast`). A name cast to regproc is the name as text (pg_type's typinput and
 * typoutput are text: weir has no pg_proc oids).
 */
import type { Node, TypeCast } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { oidOf } from '../../types/pg-oid.js';
import { SqlState } from '../../types/sql-error.js';
import { parseExpression } from './parse-sql.js';
import { sqlError } from './bind-context.js';
import { coerce } from './coerce.js';
import type { ExprEnv } from './expr-env.js';
import { resolveTypeName } from './type-names.js';

const REG_TYPES = new Set(['regclass', 'regtype', 'regnamespace', 'regproc', 'regprocedure', 'regrole', 'regoper', 'regoperator', 'regconfig', 'regdictionary', 'regcollation']);
const OID = { kind: 'oid' } as const;

/** The reg* type a cast names, if it is one. */
export function regTypeOf(c: TypeCast): string | undefined {
  const names = (c.typeName?.names ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
  const last = (names[names.length - 1] ?? '').toLowerCase();
  if (!REG_TYPES.has(last) || (names.length > 1 && names[0] !== 'pg_catalog')) return undefined;
  if ((c.typeName?.arrayBounds?.length ?? 0) > 0) return undefined;
  return last;
}

function stringConst(n: Node | undefined): string | undefined {
  return n && 'A_Const' in n && n.A_Const.sval ? (n.A_Const.sval.sval ?? '') : undefined;
}

export function bindRegCast(env: ExprEnv, c: TypeCast, reg: string, bindArg: (n: Node) => ScalarExpr): ScalarExpr {
  const text = stringConst(c.arg);
  if (text === undefined || /^\s*\d+\s*$/.test(text)) return coerce(env.ctx, bindArg(c.arg!), OID, 'explicit', c.location);
  const lit = (value: number): ScalarExpr => ({ kind: 'Literal', value, type: OID });
  if (reg === 'regclass') {
    const parts = splitName(text);
    const name = parts[parts.length - 1]!;
    const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
    const oid = env.ctx.catalog.relationOid?.(schema, name);
    if (oid === undefined) throw sqlError(SqlState.undefinedTable, `relation "${text}" does not exist`, c.location);
    return lit(oid);
  }
  if (reg === 'regtype') {
    let cast: Node;
    try {
      cast = parseExpression(`NULL::${text}`);
    } catch {
      throw sqlError(SqlState.syntaxError, `invalid type name "${text}"`, c.location);
    }
    if (!('TypeCast' in cast) || !cast.TypeCast.typeName) throw sqlError(SqlState.syntaxError, `invalid type name "${text}"`, c.location);
    const t = resolveTypeName(cast.TypeCast.typeName, env.ctx.catalog);
    return lit(oidOf(t));
  }
  if (reg === 'regnamespace') {
    const known: Record<string, number> = { pg_catalog: 11, public: 2200, information_schema: 13183 };
    const oid = known[splitName(text)[0]!];
    if (oid === undefined) throw sqlError('3F000', `schema "${text}" does not exist`, c.location);
    return lit(oid);
  }
  if (reg === 'regproc') {
    // weir's pg_type names its I/O functions as text (typinput 'array_in'), having no pg_proc
    // oids: a function name cast to regproc is that text, so pgjdbc's
    // `typinput = 'pg_catalog.array_in'::regproc` compares names.
    const parts = splitName(text);
    return { kind: 'Literal', value: parts[parts.length - 1]!, type: { kind: 'text' } };
  }
  throw sqlError(SqlState.featureNotSupported, `casting a name to ${reg} is not supported`, c.location, {
    hint: 'regclass, regtype, regnamespace and regproc names are supported, and numeric oids for every reg* type.',
  });
}

/** `public."My Table"` → ['public', 'My Table']; unquoted parts fold to lower case. */
function splitName(text: string): string[] {
  const parts: string[] = [];
  const re = /\s*(?:"((?:[^"]|"")*)"|([^."]+))\s*(?:\.|$)/gy;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) && m[0] !== '') parts.push(m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]!.trim().toLowerCase());
  return parts.length > 0 ? parts : [text];
}

const TEXT_TYPES = new Set(['text', 'varchar', 'name', 'character varying']);

/** `x::regclass::text` → regclass_name(x); `x::regtype::text` → format_type(x, NULL); else undefined. */
export function regTextCast(env: ExprEnv, c: TypeCast, bindArg: (n: Node) => ScalarExpr): ScalarExpr | undefined {
  const names = (c.typeName?.names ?? []).map((n) => ('String' in n ? (n.String.sval ?? '') : ''));
  if (!TEXT_TYPES.has((names[names.length - 1] ?? '').toLowerCase()) || (c.typeName?.arrayBounds?.length ?? 0) > 0) return undefined;
  const inner = c.arg && 'TypeCast' in c.arg ? c.arg.TypeCast : undefined;
  const reg = inner ? regTypeOf(inner) : undefined;
  if (!inner || (reg !== 'regclass' && reg !== 'regtype')) return undefined;
  const oid = bindRegCast(env, inner, reg, bindArg);
  const TEXT = { kind: 'text' } as const;
  if (reg === 'regclass') return { kind: 'Call', fn: 'regclass_name', args: [oid], type: TEXT };
  return { kind: 'Call', fn: 'format_type', args: [oid, { kind: 'Literal', value: null, type: { kind: 'int4' } }], type: TEXT };
}
