/** What the two loan codemods (release-in-finally, managed-lifecycle) share: their flags and a cheap pre-test. */
import { mayHoldAcquisitions } from '../analysis/loans';
import type { RedisSettings } from '../analysis/versions';
import type { CodemodOptions } from './report';

/** `--node-redis-major=4`: the node-redis major to assume (which release to write, whether `executeIsolated` exists). */
export function nodeRedisMajorSettings(options: CodemodOptions): RedisSettings | undefined {
  const major = options.nodeRedisMajor;
  return major === undefined ? undefined : { versions: { redis: String(major) } };
}

/** Files that import no client library can hold no loan (types are not used by the codemods). */
export function mightHoldLoans(text: string): boolean {
  return mayHoldAcquisitions(text, false);
}
