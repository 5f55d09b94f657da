/**
 * Runs the analysis on a snippet and reports what it says about every variable whose name
 * starts with `$`: `const $client = createClient()` → "node-redis client factory".
 */
import * as path from 'node:path';
import * as parser from '@typescript-eslint/parser';
import { ESLintUtils, type TSESTree } from '@typescript-eslint/utils';
import { Linter } from 'eslint';
import { getRedisAnalysis, type Origin } from '../../src/analysis';

const createRule = ESLintUtils.RuleCreator.withoutDocs;

export function describeOrigin(origin: Origin | undefined): string {
  if (!origin) return 'unknown';
  switch (origin.type) {
    case 'module':
      return `${origin.library.id} module`;
    case 'export':
      return `${origin.library.id} ${origin.spec.type} ${origin.name}`;
    case 'promise':
      return `promise of ${describeOrigin(origin.of)}`;
    case 'value':
      return `${origin.value.library.id} ${origin.value.kind} ${origin.value.how}`;
    case 'function':
      return `function ${origin.summary.name}`;
    case 'project-module':
      return `project module ${origin.imported?.source ?? origin.file}`;
    case 'declared-package':
      return `declared package ${origin.package}`;
  }
}

const probe = createRule<[], 'origin'>({
  meta: { type: 'problem', messages: { origin: '{{name}}={{origin}}' }, schema: [] },
  defaultOptions: [],
  create(context) {
    const analysis = getRedisAnalysis(context);
    return {
      VariableDeclarator(node: TSESTree.VariableDeclarator) {
        if (node.id.type !== 'Identifier' || !node.id.name.startsWith('$') || !node.init) return;
        context.report({
          node,
          messageId: 'origin',
          data: { name: node.id.name, origin: describeOrigin(analysis.origins.resolve(node.init)) },
        });
      },
    };
  },
});

export const typedFixturesDir = path.join(__dirname, '..', 'fixtures', 'typed');

/** Origins of the `$` variables, by name. */
export function origins(
  code: string,
  options: { typed?: boolean; sourceType?: 'module' | 'script'; settings?: Record<string, unknown> } = {},
): Record<string, string> {
  const linter = new Linter({ configType: 'flat' });
  const filename = options.typed ? path.join(typedFixturesDir, 'file.ts') : 'file.ts';
  const messages = linter.verify(
    code,
    [
      {
        files: ['**/*.ts'],
        languageOptions: {
          parser,
          sourceType: options.sourceType ?? 'module',
          parserOptions: options.typed ? { projectService: true, tsconfigRootDir: typedFixturesDir } : {},
        },
        settings: options.settings ?? {},
        plugins: { probe: { rules: { origin: probe as never } } },
        rules: { 'probe/origin': 'error' },
      },
    ],
    filename,
  );
  const result: Record<string, string> = {};
  for (const message of messages) {
    if (message.fatal) throw new Error(message.message);
    const [name, origin] = message.message.split('=');
    result[name!] = origin!;
  }
  return result;
}
