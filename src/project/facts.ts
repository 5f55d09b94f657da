/**
 * The report's view of one file: a report-only rule run by `analyzeFile` hands back the file's
 * analysis (the rules' own, on ESLint's scopes) with every call and `new` in the file.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getRedisAnalysis, type RedisAnalysis } from '../analysis/context';
import { analyzeFile } from '../analysis/standalone';
import type { RedisSettings } from '../analysis/versions';

export interface FileFacts {
  /** Absolute path. */
  file: string;
  analysis: RedisAnalysis;
  program: TSESTree.Program;
  /** Every call and `new` in the file, in source order. */
  calls: (TSESTree.CallExpression | TSESTree.NewExpression)[];
}

const FACTS_RULE = 'report-facts';

/** A rule that reports nothing: it collects the file's facts for the report. */
function factsRule(sink: (facts: FileFacts) => void): TSESLint.RuleModule<string, []> {
  return {
    defaultOptions: [],
    meta: { type: 'problem', schema: [], messages: {}, docs: { description: 'Collects facts for redis-lint report.' } },
    create(context) {
      const calls: FileFacts['calls'] = [];
      return {
        CallExpression: (node) => void calls.push(node),
        NewExpression: (node) => void calls.push(node),
        'Program:exit': (program) => sink({ file: context.filename, analysis: getRedisAnalysis(context), program, calls }),
      };
    },
  };
}

/** Reads one file with the analysis. Throws `UnparsableFileError` when no parser reads it. */
export function factsOf(file: string, text: string, settings: RedisSettings | undefined): FileFacts {
  let collected: FileFacts | undefined;
  const rule = factsRule((facts) => (collected = facts));
  analyzeFile(file, text, {
    rules: { [FACTS_RULE]: { rule: rule as TSESLint.RuleModule<string, readonly unknown[]> } },
    settings,
  });
  if (!collected) throw new Error(`the analysis did not run on ${file}`);
  return collected;
}
