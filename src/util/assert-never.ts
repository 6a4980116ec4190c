/** Exhaustiveness check for discriminated unions: a `switch` on `kind` ends with `assertNever(x)`. */
export function assertNever(x: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(x)}`);
}
