/**
 * What a codemod tells its caller about each site: rewritten, skipped with a reason, or found with
 * no plan. The `redis-lint codemod` runner passes a `reporter` in the transform options and
 * collects them; under the jscodeshift CLI, skips and unplanned findings go through `api.report`
 * (printed as `REP <file> <line>:<col> …`) and every count through `api.stats`.
 */
import type { API } from 'jscodeshift';

export interface SiteReport {
  file: string;
  line: number;
  column: number;
  /** For skips: why the site was left as it is. For rewrites: what was done. */
  reason: string;
}

export interface CodemodReporter {
  rewritten(site: SiteReport): void;
  skipped(site: SiteReport): void;
  /** A finding of the codemod's rule that no plan speaks of (`reason`: "found, no rewrite planned: <message>"). */
  unplanned?(site: SiteReport): void;
  /**
   * Another file's new text (a plan that edits two modules): only a host that writes them
   * together offers this; without it such plans are skipped with the reason.
   */
  changedElsewhere?(file: string, original: string, text: string): void;
}

/** Options every codemod accepts, besides its own flags. */
export interface CodemodOptions {
  reporter?: CodemodReporter;
  [flag: string]: unknown;
}

/** The reporter a transform uses: the runner's, or jscodeshift's report/stats. */
export function reporterFor(api: Pick<API, 'report' | 'stats'>, options: CodemodOptions): CodemodReporter {
  if (options.reporter) return options.reporter;
  return {
    rewritten: () => api.stats?.('sites rewritten'),
    skipped: (site) => {
      api.stats?.('sites skipped');
      api.report?.(`${site.line}:${site.column + 1} skipped: ${site.reason}`);
    },
    unplanned: (site) => {
      api.stats?.('findings with no rewrite planned');
      api.report?.(`${site.line}:${site.column + 1} ${site.reason}`);
    },
  };
}
