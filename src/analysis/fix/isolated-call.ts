/**
 * The isolated-call plan (libraries with catalog `isolatedCalls`, node-redis 4): a blocking call
 * gets `commandOptions({ isolated: true })` as its first argument, so it runs on a connection of
 * the client's own isolation pool. `commandOptions` is reached through the file's own import of
 * the library (extended, or a new import beside the others when needed).
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { libraryForModule, type LibraryCatalog } from '../../catalog';
import { AST_NODE_TYPES, importedName, requireSpecifier, staticPropertyName, unwrapExpression } from '../ast';
import type { RedisAnalysis } from '../context';
import { isNameFree, type BlockingCommandCall } from '../sharing';
import { addImportedNameEdit } from './nodes';
import type { TextEdit } from './text';

/** Whether the installed major of the library runs isolated calls. */
export function runsIsolatedCalls(library: LibraryCatalog | undefined, analysis: RedisAnalysis): boolean {
  const major = library?.isolatedCalls ? analysis.versions.major(library) : undefined;
  return major !== undefined && library!.isolatedCalls!.versions.majors.includes(major);
}

/** The edits that make the call isolated, or undefined when the call can't be given them. */
export function planIsolatedCall(command: BlockingCommandCall, library: LibraryCatalog, analysis: RedisAnalysis): TextEdit[] | undefined {
  const call = command.call;
  const first = call.arguments[0];
  if (!first || !library.blockingMethods?.[command.method]) return undefined;
  // Already given command options (without `isolated`): leave the call to the user.
  const firstInner = unwrapExpression(first);
  if (firstInner.type === AST_NODE_TYPES.CallExpression) {
    const target = analysis.origins.resolve(firstInner.callee);
    if (target?.type === 'export' && target.spec.type === 'helper') return undefined;
  }
  const access = commandOptionsAccess(analysis.sourceCode, call, library);
  if (!access) return undefined;
  const edits: TextEdit[] = [{ start: first.range[0], end: first.range[0], text: `${access.expression}({ isolated: true }), ` }];
  if (access.add) edits.push(access.add);
  return edits;
}

interface CommandOptionsAccess {
  expression: string;
  add?: TextEdit;
}

/** The library's export that marks a call's command options (`commandOptions`). */
function helperName(library: LibraryCatalog): string | undefined {
  return Object.entries(library.exports).find(([, spec]) => spec.type === 'helper' && spec.role === 'command-options')?.[0];
}

/** How to reach the helper at `at`: an existing binding, or an import to extend or add. */
function commandOptionsAccess(sourceCode: Readonly<TSESLint.SourceCode>, at: TSESTree.Node, library: LibraryCatalog): CommandOptionsAccess | undefined {
  const helper = helperName(library);
  if (!helper) return undefined;
  const program = sourceCode.ast;
  const isFree = (name: string) => isNameFree(sourceCode, name, at);
  const insertAfter = (node: TSESTree.Node, text: string): TextEdit => ({ start: node.range[1], end: node.range[1], text });
  let extend: CommandOptionsAccess | undefined;
  let moduleName: string | undefined;
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      if (statement.importKind === 'type' || libraryForModule(statement.source.value) !== library) continue;
      moduleName ??= statement.source.value;
      for (const specifier of statement.specifiers) {
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
          if (importedName(specifier) === helper && specifier.importKind !== 'type') return { expression: specifier.local.name };
        } else {
          return { expression: `${specifier.local.name}.${helper}` };
        }
      }
      const add = !extend && isFree(helper) ? addImportedNameEdit(statement, helper) : undefined;
      if (add) extend = { expression: helper, add };
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const specifier = declarator.init && requireSpecifier(unwrapExpression(declarator.init));
        if (!specifier || libraryForModule(specifier) !== library) continue;
        if (declarator.id.type === AST_NODE_TYPES.Identifier) return { expression: `${declarator.id.name}.${helper}` };
        if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) continue;
        for (const property of declarator.id.properties) {
          if (property.type === AST_NODE_TYPES.Property && staticPropertyName(property) === helper && property.value.type === AST_NODE_TYPES.Identifier) {
            return { expression: property.value.name };
          }
        }
        const add = !extend && isFree(helper) ? addImportedNameEdit(declarator.id, helper) : undefined;
        if (add) extend = { expression: helper, add };
      }
    }
  }
  if (extend) return extend;
  const lastImport = program.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration).at(-1);
  if (!lastImport || !isFree(helper)) return undefined;
  return { expression: helper, add: insertAfter(lastImport, `\nimport { ${helper} } from '${moduleName ?? library.modules[0]}';`) };
}
