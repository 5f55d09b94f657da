import Redis from 'ioredis';
import { redisOptions } from './shared/options';

// Options this file can't read are left alone and reported.
export const imported = new Redis(redisOptions);

export const spread = new Redis({ ...redisOptions, db: 1, commandTimeout: 5000 });

function optionsFor(db: number) {
  return { host: 'cache.internal', db };
}

export const computed = new Redis(optionsFor(3));

let current = { host: 'cache.internal' };
export function configure(next: typeof current) {
  current = next;
}
export const variable = new Redis(current);

// The options of a spread that *is* readable are fine: the literal gets the option.
const base = { host: 'cache.internal' };
export const fromBase = new Redis({ ...base, db: 4, commandTimeout: 5000 });
