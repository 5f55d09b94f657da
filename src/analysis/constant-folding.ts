/**
 * Constant folding for the static evaluator (static-value.ts): what an operator or a
 * `Math`/`Number` member gives on known primitives.
 */
export type Primitive = string | number | boolean | null | undefined | bigint;

const BINARY: Readonly<Record<string, (x: never, y: never) => Primitive>> = {
  '+': (x, y) => (x as number) + (y as number),
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '%': (x, y) => x % y,
  '**': (x, y) => x ** y,
  '<': (x, y) => x < y,
  '>': (x, y) => x > y,
  '<=': (x, y) => x <= y,
  '>=': (x, y) => x >= y,
  '===': (x, y) => x === y,
  '!==': (x, y) => x !== y,
  '==': (x, y) => x == y,
  '!=': (x, y) => x != y,
  '|': (x, y) => x | y,
  '&': (x, y) => x & y,
  '^': (x, y) => x ^ y,
  '<<': (x, y) => x << y,
  '>>': (x, y) => x >> y,
  '>>>': (x, y) => x >>> y,
};

/** `a <op> b` on known values, or undefined when the operator is not folded or would throw. */
export function foldBinary(operator: string, a: Primitive, b: Primitive): { value: Primitive } | undefined {
  const fold = BINARY[operator];
  if (!fold) return undefined;
  try {
    return { value: fold(a as never, b as never) };
  } catch {
    // Mixing bigint and number throws at run time; such a value is not static for us.
    return undefined;
  }
}

/** `<op> v` on a known value. */
export function foldUnary(operator: string, v: Primitive): { value: Primitive } | undefined {
  switch (operator) {
    case '-':
      return { value: typeof v === 'bigint' ? -v : -Number(v) };
    case '+':
      return typeof v === 'bigint' ? undefined : { value: Number(v) };
    case '!':
      return { value: !v };
    case '~':
      return typeof v === 'bigint' ? { value: ~v } : { value: ~Number(v) };
    case 'void':
      return { value: undefined };
    case 'typeof':
      return { value: v === null ? 'object' : typeof v };
    default:
      return undefined;
  }
}

/** `Math.<name>(...)` on known numbers. */
export const MATH_FUNCTIONS: Readonly<Record<string, (...values: number[]) => number>> = {
  min: Math.min,
  max: Math.max,
  ceil: (v = NaN) => Math.ceil(v),
  floor: (v = NaN) => Math.floor(v),
  round: (v = NaN) => Math.round(v),
  trunc: (v = NaN) => Math.trunc(v),
  abs: (v = NaN) => Math.abs(v),
  pow: (a = NaN, b = NaN) => a ** b,
};

/** `Number.<name>` constants. */
export const NUMBER_CONSTANTS: Readonly<Record<string, number>> = {
  MAX_SAFE_INTEGER: Number.MAX_SAFE_INTEGER,
  MIN_SAFE_INTEGER: Number.MIN_SAFE_INTEGER,
  MAX_VALUE: Number.MAX_VALUE,
  POSITIVE_INFINITY: Infinity,
  NEGATIVE_INFINITY: -Infinity,
};

/** A number from a known primitive; numeric strings count (ioredis takes `'0'`), empty strings don't. */
export function primitiveToNumber(value: Primitive): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}
