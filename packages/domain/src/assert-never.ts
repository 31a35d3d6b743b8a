/** Exhaustiveness guard for switches over unions: a new case that is not handled fails to compile. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)}`);
}
