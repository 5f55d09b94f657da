/**
 * The managed-lifecycle codemod over one file, in two passes on one session:
 * 1. release-in-finally, limited to leaking loans whose pool has a managed form, so they take the
 *    `acquire` + `try/finally` shape;
 * 2. each loan in that shape becomes the managed call (the edit `rewriteManagedSite` hands to
 *    ESLint). Sites go from the last to the first, so an edit never moves one still to be done.
 */
import type { API, FileInfo } from 'jscodeshift';
import { managedMethodFor, planManaged } from './managed';
import type { Node } from './ast';
import { installedMajor, isSetupStatement, releaseFacts, releaseInFinally } from './release-in-finally';
import type { CodemodOptions } from './report';
import { runOnFile, type Session } from './session';
import { findSites, releaseStatementCall, type Site } from './sites';

export function runManagedLifecycle(file: FileInfo, api: Pick<API, 'report' | 'stats'>, options: CodemodOptions): string | undefined {
  return runOnFile(file, api, options, (session) => {
    const fixed = releaseInFinally(session, (site) => site.kind === 'loan' && typeof managedMethodFor(site) !== 'string', false);
    toManaged(session, fixed.skipped);
  });
}

/** Pass 2. `alreadyReported`: declarations (by original line) pass 1 reported as skipped. */
function toManaged(session: Session, alreadyReported: ReadonlySet<number>): void {
  let limit = Infinity;
  for (;;) {
    const site = findSites(session.context)
      .filter((candidate) => candidate.declaration.start < limit)
      .sort((a, b) => b.declaration.start - a.declaration.start)[0];
    if (!site) return;
    limit = site.declaration.start;
    if (alreadyReported.has(session.lineOf(site.declaration))) continue;
    if (site.kind === 'connection') {
      const isolated = isolatedDuplicate(session, site);
      if (isolated) session.skipped(site.declaration, isolated);
      continue;
    }
    const managed = managedMethodFor(site);
    if (typeof managed === 'string') {
      session.skipped(site.declaration, managed);
      continue;
    }
    const plan = planManaged(session.context, site, session.text, (node) => session.lineOf(node));
    if (plan.kind === 'skip') {
      session.skipped(site.declaration, plan.reason);
    } else if (plan.kind === 'none') {
      // Leaking loans were fixed or reported by pass 1; what is left releases on every path some other way.
      if ('uses' in releaseFacts(session.context, site)) {
        session.skipped(site.declaration, 'it is released on every path, but not by a finally right after the acquire; reshape it by hand');
      }
    } else {
      session.rewritten(site.declaration, `${plan.owner}.${plan.managed}(…)`);
      session.apply(plan.edits);
    }
  }
}

/**
 * node-redis 4: a `duplicate()` opened and closed in a `finally` for isolated work is what
 * `client.executeIsolated(fn)` stands for, but not written: the isolation pool lends at most
 * `isolationPoolOptions.max` clients (1 by default), so callers that each had a connection
 * would queue. The site is reported with that reason.
 */
function isolatedDuplicate(session: Session, site: Site): string | undefined {
  const owner = site.value.parent;
  if (site.value.how !== 'method' || !owner || owner.kind !== 'client') return undefined;
  const managed = Object.entries(owner.library.values[owner.kind]?.methods ?? {}).find(([, spec]) => spec.type === 'managed');
  if (!managed || installedMajor(session, owner.library) !== 4) return undefined;
  let next = site.list.indexOf(site.declaration) + 1;
  while (next < site.list.length && isSetupStatement(session.context, site, site.list[next])) next++;
  const tryStatement = site.list[next];
  if (tryStatement?.type !== 'TryStatement' || !tryStatement.finalizer) return undefined;
  if (!tryStatement.finalizer.body.some((statement: Node) => releaseStatementCall(session.context, site, statement))) return undefined;
  return `${managed[0]}() would lend from the isolation pool (isolationPoolOptions.max, 1 by default) instead of this connection of its own, so concurrent callers would queue; size that pool and rewrite by hand`;
}
