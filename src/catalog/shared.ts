/** Method tables that more than one library file shares. */
import type { MethodSpec } from './types';

/** EventEmitter's ways to add a listener. */
export const EMITTER_LISTENERS: Record<string, MethodSpec> = {
  on: { type: 'listener' },
  once: { type: 'listener' },
  addListener: { type: 'listener' },
  prependListener: { type: 'listener' },
  prependOnceListener: { type: 'listener' },
};

/** Each method under its own name and its upper-case one (`blPop` and `BLPOP`): clients that have both. */
export function withUpperCase<T>(methods: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(methods).flatMap(([name, spec]) => [[name, spec], [name.toUpperCase(), spec]]));
}
