/**
 * Constants: A_Const nodes → Literals. Integer literals are int4 when they fit, else int8,
 * else numeric; decimals are numeric; strings and NULL are untyped (`unknown`) until a
 * context gives them a type (coerce.ts).
 */
import type { A_Const } from '@pgsql/types';
import type { ScalarExpr } from '../../plan/scalar-expr.js';
import { Numeric } from '../../types/numeric.js';
import { SqlState } from '../../types/sql-error.js';
import { sqlError } from './bind-context.js';

const INT8_MIN = -(2n ** 63n);
const INT8_MAX = 2n ** 63n - 1n;

export function bindConst(c: A_Const): ScalarExpr {
  if (c.isnull) return { kind: 'Literal', value: null, type: { kind: 'unknown' } };
  if (c.ival !== undefined) return { kind: 'Literal', value: c.ival.ival ?? 0, type: { kind: 'int4' } };
  if (c.fval !== undefined) return numberLiteral(c.fval.fval ?? '0');
  if (c.boolval !== undefined) return { kind: 'Literal', value: c.boolval.boolval ?? false, type: { kind: 'bool' } };
  if (c.sval !== undefined) return { kind: 'Literal', value: c.sval.sval ?? '', type: { kind: 'unknown' } };
  throw sqlError(SqlState.featureNotSupported, 'bit string literals are not supported', c.location);
}

/** A numeric token too long for int4: int8 when it is an integer in range, else numeric. */
export function numberLiteral(text: string): ScalarExpr {
  if (/^[+-]?\d+$/.test(text)) {
    const v = BigInt(text);
    if (v >= -(2n ** 31n) && v < 2n ** 31n) return { kind: 'Literal', value: Number(v), type: { kind: 'int4' } };
    if (v >= INT8_MIN && v <= INT8_MAX) return { kind: 'Literal', value: v, type: { kind: 'int8' } };
  }
  const hex = /^0[xX][0-9a-fA-F_]+$/.test(text) ? BigInt(text.replace(/_/g, '')) : undefined;
  if (hex !== undefined) return { kind: 'Literal', value: hex, type: { kind: 'int8' } };
  return { kind: 'Literal', value: Numeric.parse(text.replace(/_/g, '')), type: { kind: 'numeric' } };
}

export const TRUE: ScalarExpr = { kind: 'Literal', value: true, type: { kind: 'bool' } };
export const FALSE: ScalarExpr = { kind: 'Literal', value: false, type: { kind: 'bool' } };
