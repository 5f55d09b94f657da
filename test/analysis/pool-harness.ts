/** Runs `poolResourceOf` on every `$` variable that holds a recognised pool. */
import * as parser from '@typescript-eslint/parser';
import { ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { getRedisAnalysis, poolResourceOf } from '../../src/analysis';

const probe = ESLintUtils.RuleCreator.withoutDocs<[], 'pool'>({
  meta: { type: 'problem', messages: { pool: '{{name}}={{resource}}' }, schema: [] },
  defaultOptions: [],
  create(context) {
    const analysis = getRedisAnalysis(context);
    return {
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        if (node.id.type !== 'Identifier' || !node.id.name.startsWith('$') || !node.init) return;
        const pool = analysis.origins.valueOrPromised(node.init);
        const resource = pool ? poolResourceOf(pool, analysis.origins, analysis.evaluator) : 'not a pool';
        context.report({ node, messageId: 'pool', data: { name: node.id.name, resource } });
      },
    };
  },
});

export function poolResources(code: string): Record<string, string> {
  const linter = new Linter({ configType: 'flat' });
  const messages = linter.verify(
    code,
    [{ files: ['**/*.ts'], languageOptions: { parser }, plugins: { probe: { rules: { pool: probe as never } } }, rules: { 'probe/pool': 'error' } }],
    'file.ts',
  );
  const result: Record<string, string> = {};
  for (const message of messages) {
    if (message.fatal) throw new Error(message.message);
    const [name, resource] = message.message.split('=');
    result[name!] = resource!;
  }
  return result;
}
