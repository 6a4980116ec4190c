/**
 * registry.ts is the entry point of plan/functions: every scalar function, operator and cast,
 * looked up by SQL name (`lookupFunctions`), by id (`getFunction`, used by the renderer on a
 * Call's `fn`), or by type pair (`lookupCast`). `resolveCall` picks the overload for argument
 * types (resolve.ts). See README.md for how the binder and renderer use them.
 */
import type { SqlType } from '../../types/sql-type.js';
import { ARITHMETIC_FUNCTIONS } from './arithmetic.js';
import { ARRAY_FUNCTIONS } from './array.js';
import { lookupCast, rebuildCast } from './cast-lookup.js';
import { CAST_ENTRIES } from './casts.js';
import { CATALOG_FUNCTIONS } from './catalog-functions.js';
import { COMPARISON_FUNCTIONS } from './comparison.js';
import { DATETIME_FUNCTIONS } from './datetime.js';
import type { Fn } from './define.js';
import { EXTRACT_FUNCTIONS } from './extract.js';
import { FLINK_FUNCTIONS } from './flink.js';
import type { FunctionImpl } from './function-impl.js';
import { INTERNAL_FUNCTIONS } from './internal.js';
import { JSONB_FUNCTIONS } from './jsonb.js';
import { MATH_FUNCTIONS } from './math.js';
import { MISC_FUNCTIONS } from './misc.js';
import { PATTERN_FUNCTIONS } from './pattern.js';
import { resolveFunction, specialize, type ResolvedCall } from './resolve.js';
import { TEXT_FUNCTIONS } from './text.js';
import { TO_CHAR_FUNCTIONS } from './to-char.js';
import { WINDOW_FUNCTIONS } from './window-functions.js';
import { SET_RETURNING_FUNCTIONS } from './set-returning.js';
import { STRING_ARRAY_FUNCTIONS } from './string-arrays.js';
import { parseSpecializedId, parseTypeKey } from './type-key.js';

export { lookupCast, specialize };
export type { CastLookup, CastOptions } from './cast-lookup.js';
export type { CastContext } from './casts.js';
export { selectCommonType, typeCategory, isPreferredType, canCastImplicitly, type ResolvedCall, type TypeCategory } from './resolve.js';

/** Every function and operator overload (casts excluded: they are found by type pair). */
const FUNCTIONS: readonly Fn[] = [
  ...ARITHMETIC_FUNCTIONS,
  ...COMPARISON_FUNCTIONS,
  ...MATH_FUNCTIONS,
  ...TEXT_FUNCTIONS,
  ...PATTERN_FUNCTIONS,
  ...DATETIME_FUNCTIONS,
  ...EXTRACT_FUNCTIONS,
  ...TO_CHAR_FUNCTIONS,
  ...FLINK_FUNCTIONS,
  ...JSONB_FUNCTIONS,
  ...ARRAY_FUNCTIONS,
  ...MISC_FUNCTIONS,
  ...CATALOG_FUNCTIONS,
  ...WINDOW_FUNCTIONS,
  ...SET_RETURNING_FUNCTIONS,
  ...STRING_ARRAY_FUNCTIONS,
];

/** Other SQL spellings of the same functions. */
const ALIASES: Readonly<Record<string, readonly string[]>> = {
  char_length: ['length'],
  character_length: ['length'],
  substring: ['substr'],
  position: ['strpos'],
  ceiling: ['ceil'],
  array_join: ['array_to_string'], // RisingWave's name
  '!=': ['<>'],
};

const byId = new Map<string, FunctionImpl>();
const byName = new Map<string, Fn[]>();
const duplicates: string[] = [];

function register(impl: FunctionImpl): void {
  if (byId.has(impl.id)) duplicates.push(impl.id);
  byId.set(impl.id, impl);
}

for (const f of FUNCTIONS) {
  register(f);
  const list = byName.get(f.sqlName) ?? [];
  list.push(f);
  byName.set(f.sqlName, list);
}
for (const f of INTERNAL_FUNCTIONS) register(f);
for (const e of CAST_ENTRIES) register(e.impl);

/** All overloads answering to an operator symbol ("+", "~~") or a lower-case function name. */
export function lookupFunctions(sqlName: string): readonly FunctionImpl[] {
  return overloads(sqlName);
}

function overloads(sqlName: string): readonly Fn[] {
  const own = byName.get(sqlName) ?? [];
  const aliases = ALIASES[sqlName];
  if (!aliases) return own;
  return [...own, ...aliases.flatMap((a) => byName.get(a) ?? [])];
}

const built = new Map<string, FunctionImpl>();

/** The implementation with this id, including specialized ids (`concat<int4;text>`). Throws if unknown. */
export function getFunction(id: string): FunctionImpl {
  const f = byId.get(id) ?? built.get(id);
  if (f) return f;
  const parts = parseSpecializedId(id);
  let impl: FunctionImpl | undefined;
  if (parts) {
    const generic = byId.get(parts.base) as Fn | undefined;
    if (generic?.specialize) impl = generic.specialize(parts.params.map(parseTypeKey));
    else impl = rebuildCast(parts.base, parts.params);
  } else {
    const m = /^cast_([a-z0-9]+)_\1$/.exec(id);
    if (m) impl = lookupCast({ kind: m[1] } as SqlType, { kind: m[1] } as SqlType)?.impl;
  }
  if (!impl || impl.id !== id) throw new Error(`unknown function id "${id}"`);
  built.set(id, impl);
  return impl;
}

/**
 * The overload of `sqlName` for these argument types, specialized, with the type each argument
 * must be cast to. Undefined if no overload accepts them; throws 42725 if several do equally well.
 */
export function resolveCall(sqlName: string, argTypes: readonly SqlType[]): ResolvedCall | undefined {
  return resolveFunction(overloads(sqlName), sqlName, argTypes);
}

/** @internal For tests: every registered function (internal ones included) and cast, and ids registered twice. */
export function registryContents(): { functions: readonly FunctionImpl[]; casts: readonly FunctionImpl[]; duplicateIds: readonly string[] } {
  return { functions: [...FUNCTIONS, ...INTERNAL_FUNCTIONS], casts: CAST_ENTRIES.map((e) => e.impl), duplicateIds: duplicates };
}
