/**
 * What a codemod tells its caller about each site: rewritten, or skipped with a reason. The
 * `redis-lint codemod` runner passes a `reporter` in the transform options and collects both;
 * under the jscodeshift CLI, skips go through `api.report` (printed as `REP <file> <line>:<col> …`)
 * and rewrites through `api.stats`.
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
  };
}
