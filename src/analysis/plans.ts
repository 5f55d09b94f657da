/**
 * Fix plans: what a rule would change to remove one finding, as text edits, or why it can't.
 *
 * A rule makes the plan once and uses it twice: as its suggestion or autofix inside ESLint, and
 * (recorded here) as the rewrite a codemod applies. So a rule's suggestion and a codemod produce
 * the same text by construction. Plans are recorded only while a caller collects them (the
 * codemods, through `analyzeFile`); inside an editor or `eslint` nothing is kept.
 */
import * as fs from 'node:fs';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { applyEdits, type TextEdit } from './fix/text';

export type { TextEdit } from './fix/text';

interface PlanBase {
  /** The rule that made the plan (its name, without the `redis/` prefix). */
  rule: string;
  /** What the plan is for: a name that tells plans of different kinds apart (`try-finally`, `managed-call`, `command-timeout`, …). */
  kind: string;
  /** Where the finding is, 1-based line and 0-based column. */
  line: number;
  column: number;
}

export interface RewritePlan extends PlanBase {
  type: 'rewrite';
  /** One line, for the codemod's report: what the edits do. */
  description: string;
  edits: TextEdit[];
  /**
   * Edits to other files (absolute paths), made with this file's, and the sites there they
   * rewrite: only a host that writes several files as one (`redis-lint codemod`) applies such a plan.
   */
  elsewhere?: Elsewhere[];
}

export interface Elsewhere {
  file: string;
  edits: TextEdit[];
  rewrites?: Pick<RewritePlan, 'line' | 'column' | 'description'>[];
}

export interface SkipPlan extends PlanBase {
  type: 'skip';
  /** One line: why no rewrite is safe here. */
  reason: string;
}

export type FixPlan = RewritePlan | SkipPlan;

/** Any rule, as the analysis runs it outside ESLint. */
export type AnyRule = TSESLint.RuleModule<string, readonly unknown[]>;

/** A plan's rule and kind, at a node's start. */
export function planAt(node: TSESTree.Node, { rule, kind }: { rule: string; kind: string }): PlanBase {
  return { rule, kind, line: node.loc.start.line, column: node.loc.start.column };
}

let sink: FixPlan[] | undefined;

/** Other files' texts as a codemod run has changed them, not yet written: planners read files through `sourceOf`. */
export const stagedTexts = new Map<string, string>();

/** A file's text as planners see it: staged by the codemod run, else from disk. */
export function sourceOf(file: string): string {
  return stagedTexts.get(file) ?? fs.readFileSync(file, 'utf8');
}

/** Whether a caller is collecting plans now (so a rule can skip planning work nobody reads). */
export function collectingPlans(): boolean {
  return sink !== undefined;
}

/** Keeps a plan for the caller that collects them; a no-op otherwise. */
export function recordPlan(plan: FixPlan): void {
  sink?.push(plan);
}

/** Runs `work` (a synchronous lint of one file) and returns the plans its rules recorded. */
export function collectPlans<T>(work: () => T): { result: T; plans: FixPlan[] } {
  const outer = sink;
  const plans: FixPlan[] = [];
  sink = plans;
  try {
    return { result: work(), plans };
  } finally {
    sink = outer;
  }
}

/**
 * The plan's edits as one ESLint fix: ESLint merges a suggestion's fixes into one range anyway,
 * and applying them here first keeps the indentation edits' rules (see `applyEdits`).
 */
export function fixOf(edits: readonly TextEdit[], text: string): (fixer: TSESLint.RuleFixer) => TSESLint.RuleFix {
  const start = Math.min(...edits.map((edit) => edit.start));
  const end = Math.max(...edits.map((edit) => edit.end));
  const replacement = applyEdits(text, edits, start, end);
  return (fixer) => fixer.replaceTextRange([start, end], replacement);
}
