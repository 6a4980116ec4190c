/** fast-check generators of datums, one family per SQL type (same-typed values). */
import fc from 'fast-check';
import { Interval, Jsonb, Record, type Datum, type JsonValue } from '../../src/types/datum.js';
import { Numeric } from '../../src/types/numeric.js';

export const float = fc.oneof(
  fc.double(),
  fc.constantFrom(0, -0, NaN, Infinity, -Infinity, 1, -1, 0.5, Number.MIN_VALUE, -Number.MAX_VALUE),
);
export const int8 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
export const numeric: fc.Arbitrary<Numeric> = fc.oneof(
  { weight: 10, arbitrary: fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 12 })).map(([u, s]) => new Numeric(u, s)) },
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 3 })).map(([u, s]) => new Numeric(BigInt(u), s)) },
  { weight: 1, arbitrary: fc.constantFrom(Numeric.NAN, Numeric.INFINITY, Numeric.NEG_INFINITY, Numeric.ZERO) },
);
export const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('', '\u0000', 'a\u0000b', '\uffff', '\u{10000}'));
export const bytes = fc.oneof(fc.uint8Array({ maxLength: 20 }), fc.constant(new Uint8Array([0, 0, 255])));
export const interval = fc
  .tuple(fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: -1e12, max: 1e12 }))
  .map(([m, d, us]) => new Interval(m, d, us));
const jsonLeaf: fc.Arbitrary<JsonValue> = fc.oneof(fc.constant(null), fc.boolean(), fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => x + 0), fc.string());
export const json: fc.Arbitrary<JsonValue> = fc.letrec<{ v: JsonValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    jsonLeaf,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 4 }), tie('v'), { maxKeys: 4, noNullPrototype: true }),
  ),
})).v;
export const jsonb = json.map((v) => new Jsonb(v));

const nullable = <T extends Datum>(a: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(a, { freq: 6, nil: null });

/** Families of same-typed datums (NULL included). */
export const families: { name: string; arb: fc.Arbitrary<Datum> }[] = [
  { name: 'bool', arb: nullable(fc.boolean()) },
  { name: 'int4', arb: nullable(fc.integer()) },
  { name: 'float8', arb: nullable(float) },
  { name: 'int8', arb: nullable(int8) },
  { name: 'numeric', arb: nullable(numeric) },
  { name: 'text', arb: nullable(text) },
  { name: 'bytea', arb: nullable(bytes) },
  { name: 'interval', arb: nullable(interval) },
  { name: 'jsonb', arb: nullable(jsonb) },
  { name: 'int4[]', arb: nullable(fc.array(nullable(fc.integer({ min: -5, max: 5 })), { maxLength: 4 })) },
  { name: 'text[]', arb: nullable(fc.array(nullable(fc.constantFrom('', 'a', 'ab', 'b', '\u0000')), { maxLength: 3 })) },
  { name: 'record', arb: nullable(fc.tuple(nullable(fc.integer({ min: -3, max: 3 })), nullable(fc.constantFrom('a', 'b', ''))).map((f) => new Record(f))) },
];

/** Any datum at all (for value-codec round trips). */
export const anyDatum: fc.Arbitrary<Datum> = fc.letrec<{ d: Datum }>((tie) => ({
  d: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    ...families.map((f) => f.arb),
    fc.array(tie('d'), { maxLength: 3 }),
    fc.array(tie('d'), { maxLength: 3 }).map((f) => new Record(f)),
    fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
    fc.integer({ min: -(2 ** 31), max: 2 ** 31 }),
  ),
})).d;
