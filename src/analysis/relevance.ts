/**
 * A cheap test on a file's text that lets a rule skip files which cannot hold what it looks for.
 * (Files that name no catalog module are already answered at once by the origin resolver.)
 */
import { LIBRARIES } from '../catalog';
import type { RedisAnalysis } from './context';

/** Every method name that can send a blocking or takeover command, in any library's spelling. */
export const BLOCKING_METHOD_NAMES: ReadonlySet<string> = new Set(
  LIBRARIES.flatMap((library) => [
    ...Object.keys(library.blockingMethods ?? {}),
    ...Object.keys(library.rawCommandMethods ?? {}),
    ...Object.keys(library.takeoverMethods ?? {}),
  ]),
);

/**
 * `.blpop`, `?.blpop`, `['blpop']`, `` [`blpop`] ``: every way a static member name is written
 * (staticPropertyName), so a file without a match has no call that can send one of those commands.
 */
export const BLOCKING_MEMBER = memberNamed(BLOCKING_METHOD_NAMES);

/** A test of a file's text for a static member access (`.name`, `['name']`) to one of the names. */
export function memberNamed(names: Iterable<string>): RegExp {
  return new RegExp(`(?:\\.|\\[\\s*['"\`])\\s*(?:${[...names].map(escapeRegExp).join('|')})(?![\\w$])`);
}

/** Whether the file's text accesses a member spelt like a blocking, raw or takeover command method. */
export function mentionsBlockingMethod(analysis: RedisAnalysis): boolean {
  return BLOCKING_MEMBER.test(analysis.sourceCode.text);
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
