/**
 * The one way a codemod changes a file: ask the analysis (the rules, run outside ESLint by
 * `analyzeFile`) for its fix plans, apply the rewrites, and verify the result by analysing it
 * again. A codemod is a rule, the options that make its plans, and the plan kinds it applies.
 *
 * Passes: every pass applies the rewrite plans whose edits don't overlap, then analyses the new
 * text (positions have moved, and one rewrite can make the next possible). A pass whose output
 * brings a finding of any rule that the input did not have is undone and its plans are tried
 * one by one; a plan that still brings one is reported as skipped with that finding. The file
 * is done when a pass has nothing left to apply.
 */
import * as path from 'node:path';
import type { API, FileInfo } from 'jscodeshift';
import { applyEdits } from '../analysis/fix/text';
import { sourceOf, stagedTexts, type AnyRule, type RewritePlan, type SkipPlan } from '../analysis/plans';
import { analyzeFile, UnparsableFileError, type FileAnalysis, type FileAnalysisOptions, type FileFinding } from '../analysis/standalone';
import type { RedisSettings } from '../analysis/versions';
import { getModuleView, moduleSettingsOf } from '../analysis/modules';
import { rules as allRules } from '../../rules';
import { lineMapper } from './diff';
import { reporterFor, type CodemodOptions, type CodemodReporter } from './report';

export interface PlanCodemod {
  /** A plugin rule by name, or a planning-only rule (it only records plans no rule asks for). */
  rule: keyof typeof allRules | { name: string; module: AnyRule };
  /** The rule's options for this run, from the codemod's flags. */
  ruleOptions?: (options: CodemodOptions) => readonly unknown[];
  /** The plan kinds this codemod applies (all of the rule's when absent). */
  kinds?: readonly string[];
  /** Settings for the analysis, from the codemod's flags (e.g. a version to assume). */
  settings?: (options: CodemodOptions) => RedisSettings | undefined;
  /** A cheap test on the text: files that can't hold a site are not parsed. */
  mightApply?: (text: string) => boolean;
  /** Plans of other plugin rules this codemod applies too (managed-lifecycle first gives a leaking loan its `finally`). */
  alsoApply?: readonly { rule: keyof typeof allRules; kinds: readonly string[] }[];
  /**
   * Rules whose new findings do not undo a rewrite: opt-in advice the rewrite's output may now
   * meet (release-in-finally's `try/finally` is what `prefer-pool-use` then offers to convert).
   */
  tolerates?: readonly (keyof typeof allRules)[];
}

/** The file could not be parsed: reported by the runner, which goes on with the next file. */
export class CodemodParseError extends Error {
  override readonly name = 'CodemodParseError';
}

/** jscodeshift's parser setting, exported by every codemod; unused: the analysis parses each file with the parser for its extension. */
export const parser = 'tsx';

const MAX_PASSES = 8;

/** Runs a plan codemod over one file: the new text, or undefined when nothing changed. */
export function runPlanCodemod(file: FileInfo, api: Pick<API, 'report' | 'stats'>, rawOptions: CodemodOptions, codemod: PlanCodemod): string | undefined {
  const options = withCamelCaseFlags(rawOptions);
  const settings = codemod.settings?.(options);
  // A file whose values come from the project's own modules (an imported pool) names no library itself.
  if (codemod.mightApply && !codemod.mightApply(file.source) && !mayReachProjectModules(file, settings)) return undefined;
  const reporter = reporterFor(api, rawOptions);
  const ruleName = typeof codemod.rule === 'string' ? codemod.rule : codemod.rule.name;
  const ruleOptions = codemod.ruleOptions?.(options);
  const verifiers: FileAnalysisOptions['rules'] = Object.fromEntries(
    Object.entries(allRules).map(([name, rule]) => [name, { rule: rule as unknown as AnyRule, options: name === ruleName ? ruleOptions : undefined }]),
  );
  if (typeof codemod.rule !== 'string') verifiers[ruleName] = { rule: codemod.rule.module, options: ruleOptions };
  const analyse = (text: string): FileAnalysis => {
    try {
      return analyzeFile(file.path, text, { rules: verifiers, settings });
    } catch (error) {
      if (error instanceof UnparsableFileError) throw new CodemodParseError(error.message);
      throw error;
    }
  };
  const applies = (plan: { rule: string; kind: string }) =>
    (plan.rule === ruleName && (!codemod.kinds || codemod.kinds.includes(plan.kind))) ||
    (codemod.alsoApply ?? []).some((other) => other.rule === plan.rule && other.kinds.includes(plan.kind));
  const tolerated = new Set<string>(codemod.tolerates ?? []);

  const original = file.source;
  let text = original;
  let analysis = analyse(text);
  const baseline = analysis.findings.filter((finding) => !tolerated.has(finding.rule));
  // Other files a plan edits: their text before this run, and their findings then.
  const others = new Map<string, { before: string | undefined; original: string; baseline: FileFinding[] }>();
  const findingsOf = (other: string, otherText: string) => analyzeFile(other, otherText, { rules: verifiers, settings }).findings.filter((finding) => !tolerated.has(finding.rule));
  const skipped = new Map<string, SkipPlan>();
  const rejected = new Set<string>();
  const planned = new Set<number>();
  // Applies plans to `base` and the other files they edit (staged, so that planners read them), and verifies every file.
  const attempt = (base: string, plans: readonly RewritePlan[]) => {
    const next = applyEdits(base, plans.flatMap((plan) => plan.edits));
    const previous = new Map<string, string | undefined>();
    for (const { file: other, edits } of plans.flatMap((plan) => plan.elsewhere ?? [])) {
      if (!others.has(other)) {
        const before = stagedTexts.get(other);
        const otherText = sourceOf(other);
        others.set(other, { before, original: otherText, baseline: findingsOf(other, otherText) });
      }
      if (!previous.has(other)) previous.set(other, stagedTexts.get(other));
      stagedTexts.set(other, applyEdits(sourceOf(other), edits));
    }
    const result = analyse(next);
    const finding = [newFinding(result.findings.filter((found) => !tolerated.has(found.rule)), baseline), ...[...previous.keys()].map((other) => newFinding(findingsOf(other, stagedTexts.get(other)!), others.get(other)!.baseline))].find(Boolean);
    if (finding) for (const [other, before] of previous) restore(other, before);
    return { text: next, analysis: result, finding };
  };
  try {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      // Sites are keyed by their line in the original text: plans of one pass speak of the text of that pass.
      const toOriginal = lineMapper(original, text);
      const siteKey = (plan: { kind: string; line: number }) => `${plan.kind}:${toOriginal(plan.line)}`;
      for (const plan of analysis.plans) if (applies(plan)) planned.add(toOriginal(plan.line));
      // The first pass that skips a site says why: its reason's line numbers are the original's.
      for (const plan of analysis.plans) if (plan.type === 'skip' && applies(plan) && !skipped.has(siteKey(plan))) skipped.set(siteKey(plan), { ...plan, line: toOriginal(plan.line) });
      const rewrites = analysis.plans.filter((plan): plan is RewritePlan => plan.type === 'rewrite' && applies(plan) && !rejected.has(siteKey(plan)));
      // One file at a time (jscodeshift): a plan that edits other files too is left, with the reason.
      for (const plan of reporter.changedElsewhere ? [] : rewrites.filter((candidate) => candidate.elsewhere?.length)) {
        rejected.add(siteKey(plan));
        const names = plan.elsewhere!.map(({ file: other }) => path.relative(process.cwd(), other) || other).join(', ');
        skipped.set(siteKey(plan), { ...plan, line: toOriginal(plan.line), type: 'skip', reason: `the rewrite also edits ${names}; run it with \`redis-lint codemod\`, which writes every file it edits at once` });
      }
      const step = applyPass(text, rewrites.filter((plan) => !rejected.has(siteKey(plan))), attempt);
      for (const refusal of step.refused) {
        rejected.add(siteKey(refusal.plan));
        skipped.set(siteKey(refusal.plan), { ...refusal.plan, line: toOriginal(refusal.plan.line), type: 'skip', reason: `the rewrite would bring a new finding: ${refusal.finding.message}` });
      }
      if (step.text === text) break;
      for (const plan of step.applied) {
        reporter.rewritten({ file: file.path, line: toOriginal(plan.line), column: plan.column, reason: plan.description });
        for (const other of plan.elsewhere ?? []) for (const site of other.rewrites ?? []) reporter.rewritten({ file: other.file, line: site.line, column: site.column, reason: site.description });
      }
      text = step.text;
      analysis = step.analysis;
    }
    for (const [other, { original: otherOriginal }] of others) {
      const otherText = stagedTexts.get(other)!;
      if (otherText !== otherOriginal) reporter.changedElsewhere!(other, otherOriginal, otherText);
    }
  } finally {
    for (const [other, { before }] of others) restore(other, before);
  }
  reportSkips(reporter, file.path, skipped);
  // Findings of the rule left with neither a rewrite nor a skip are said too: a codemod is never silent on one.
  const toOriginal = lineMapper(original, text);
  for (const finding of analysis.findings) {
    if (finding.rule !== ruleName || planned.has(toOriginal(finding.line))) continue;
    reporter.unplanned?.({ file: file.path, line: toOriginal(finding.line), column: finding.column, reason: `found, no rewrite planned: ${finding.message}` });
  }
  return text === original ? undefined : text;
}

function restore(file: string, text: string | undefined): void {
  if (text === undefined) stagedTexts.delete(file);
  else stagedTexts.set(file, text);
}

type Attempt = (text: string, plans: readonly RewritePlan[]) => { text: string; analysis: FileAnalysis; finding: FileFinding | undefined };

interface PassResult {
  text: string;
  analysis: FileAnalysis;
  applied: RewritePlan[];
  refused: { plan: RewritePlan; finding: FileFinding }[];
}

/** Applies the non-overlapping plans together; if that brings a new finding, one plan at a time. */
function applyPass(text: string, plans: readonly RewritePlan[], attempt: Attempt): PassResult {
  if (plans.length === 0) return { text, analysis: undefined!, applied: [], refused: [] };
  const batch = nonOverlapping(plans);
  const together = attempt(text, batch);
  if (!together.finding) return { text: together.text, analysis: together.analysis, applied: withTwins(batch, plans), refused: [] };
  const refused: PassResult['refused'] = [];
  for (const plan of batch) {
    const alone = attempt(text, [plan]);
    if (alone.finding) {
      refused.push({ plan, finding: alone.finding });
      continue;
    }
    // One good plan per pass: the next pass plans again on the new text.
    return { text: alone.text, analysis: alone.analysis, applied: withTwins([plan], plans), refused };
  }
  return { text, analysis: attempt(text, []).analysis, applied: [], refused };
}

/** The applied plans and their twins: plans with the very same edits, reported for each site. */
function withTwins(applied: readonly RewritePlan[], plans: readonly RewritePlan[]): RewritePlan[] {
  const editsOf = (plan: RewritePlan) => JSON.stringify(plan.edits.map((edit) => [edit.start, edit.end, edit.text]));
  const made = new Set(applied.map(editsOf));
  return plans.filter((plan) => applied.includes(plan) || made.has(editsOf(plan)));
}

function nonOverlapping(plans: readonly RewritePlan[]): RewritePlan[] {
  const taken: RewritePlan[] = [];
  const spans: [number, number][] = [];
  for (const plan of plans) {
    // A plan that edits other files goes alone: the next pass plans again with those files staged.
    if (taken.length > 0 && (plan.elsewhere?.length || taken[0]!.elsewhere?.length)) continue;
    const start = Math.min(...plan.edits.map((edit) => edit.start));
    const end = Math.max(...plan.edits.map((edit) => edit.end));
    if (spans.some(([from, to]) => start < to && from < end)) continue;
    // Two insertions at one point would interleave: keep them for separate passes.
    if (spans.some(([from, to]) => from === to && start === end && from === start)) continue;
    spans.push([start, end]);
    taken.push(plan);
  }
  return taken;
}

/** The first finding of a rule and message the original (`baseline`) did not have as often. */
function newFinding(findings: readonly FileFinding[], baseline: readonly FileFinding[]): FileFinding | undefined {
  const key = (finding: FileFinding) => `${finding.rule}/${finding.messageId}`;
  const left = new Map<string, number>();
  for (const finding of baseline) left.set(key(finding), (left.get(key(finding)) ?? 0) + 1);
  return findings.find((finding) => {
    const count = left.get(key(finding)) ?? 0;
    left.set(key(finding), count - 1);
    return count <= 0;
  });
}

/** Skips, with lines already in the original text. */
function reportSkips(reporter: CodemodReporter, file: string, skipped: Map<string, SkipPlan>): void {
  const seen = new Set<string>();
  for (const { line, column, reason } of skipped.values()) {
    const key = `${line}:${reason}`;
    if (seen.has(key)) continue;
    seen.add(key);
    reporter.skipped({ file, line, column, reason });
  }
}

/** jscodeshift's CLI passes `--node-redis-major` as `options['node-redis-major']`: both work. */
export function withCamelCaseFlags(options: CodemodOptions): CodemodOptions {
  const normalized: CodemodOptions = { ...options };
  for (const [key, value] of Object.entries(options)) {
    if (!key.includes('-')) continue;
    const camel = key.replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
    if (normalized[camel] === undefined) normalized[camel] = value;
  }
  return normalized;
}

/** Whether the module view may know values this file imports from the project's own modules. */
function mayReachProjectModules(file: FileInfo, settings: RedisSettings | undefined): boolean {
  const modules = moduleSettingsOf(settings);
  return modules.enabled && path.isAbsolute(file.path) && getModuleView().mayReachModules(file.source, file.path, modules);
}
