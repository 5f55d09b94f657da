/**
 * What each project file exports, and which project file a relative specifier names.
 *
 * A stopgap until the analysis has its module view (src/analysis/modules.ts, issue 14): only
 * the project's own files, by relative (or absolute) specifier, with the extensions and index
 * files a bundler or TypeScript would try. tsconfig `paths` and package self-references are not
 * followed: what they import stays unknown, and the report stays silent about it.
 */
import * as path from 'node:path';
import { AST_NODE_TYPES, type TSESTree } from '@typescript-eslint/utils';
import { staticPropertyName, unwrapExpression, walk } from '../analysis/ast';
import { isModuleExports } from '../analysis/uses';
import type { FileFacts } from './facts';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
/** `./x.js` in TypeScript source names `./x.ts`. */
const SOURCE_FOR_OUTPUT: Record<string, string[]> = {
  '.js': ['.ts', '.tsx'],
  '.jsx': ['.tsx'],
  '.mjs': ['.mts'],
  '.cjs': ['.cts'],
};

export type ExportEntry =
  /** Declared here: the node to evaluate (an identifier of the declaration, or an expression). */
  | { type: 'local'; node: TSESTree.Node }
  /** `export { a as b } from './m'`; `name` '*' for `export * as b from './m'`. */
  | { type: 'reexport'; source: string; name: string };

export interface ModuleExports {
  named: Map<string, ExportEntry>;
  /** `export * from './m'`, in order. */
  stars: string[];
  /** `module.exports = …` (the last one). */
  commonjs: TSESTree.Node | undefined;
  /** `exports.x = …`, `module.exports.x = …`. */
  commonjsNamed: Map<string, TSESTree.Node>;
}

export class ProjectModules {
  private readonly exportsCache = new Map<FileFacts, ModuleExports>();

  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** The project file a specifier names from `from`, when it is one of the analysed files. */
  resolve(specifier: string, from: FileFacts): FileFacts | undefined {
    if (!specifier.startsWith('.') && !path.isAbsolute(specifier)) return undefined;
    const base = path.resolve(path.dirname(from.file), specifier);
    const extension = path.extname(base);
    const candidates = [base, ...EXTENSIONS.map((ext) => base + ext), ...EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
    for (const source of SOURCE_FOR_OUTPUT[extension] ?? []) candidates.splice(1, 0, base.slice(0, -extension.length) + source);
    for (const candidate of candidates) {
      const found = this.files.get(candidate);
      if (found) return found;
    }
    return undefined;
  }

  exportsOf(facts: FileFacts): ModuleExports {
    let found = this.exportsCache.get(facts);
    if (!found) {
      found = collectExports(facts.program);
      this.exportsCache.set(facts, found);
    }
    return found;
  }
}

function collectExports(program: TSESTree.Program): ModuleExports {
  const result: ModuleExports = { named: new Map(), stars: [], commonjs: undefined, commonjsNamed: new Map() };
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) {
      if (statement.exportKind === 'type') continue;
      const declaration = statement.declaration;
      if (declaration?.type === AST_NODE_TYPES.VariableDeclaration) {
        for (const declarator of declaration.declarations) {
          walk(declarator.id, (node) => {
            if (node.type === AST_NODE_TYPES.Identifier && node.parent?.type !== AST_NODE_TYPES.Property) {
              result.named.set(node.name, { type: 'local', node });
            } else if (node.type === AST_NODE_TYPES.Property && node.value.type === AST_NODE_TYPES.Identifier) {
              result.named.set(node.value.name, { type: 'local', node: node.value });
            }
            return node.type !== AST_NODE_TYPES.TSTypeAnnotation;
          });
        }
      } else if (
        (declaration?.type === AST_NODE_TYPES.FunctionDeclaration || declaration?.type === AST_NODE_TYPES.ClassDeclaration) &&
        declaration.id
      ) {
        result.named.set(declaration.id.name, { type: 'local', node: declaration.id });
      }
      for (const specifier of statement.specifiers) {
        if (specifier.exportKind === 'type') continue;
        const exported = nameOf(specifier.exported);
        const local = nameOf(specifier.local);
        result.named.set(
          exported,
          statement.source ? { type: 'reexport', source: statement.source.value, name: local } : { type: 'local', node: specifier.local },
        );
      }
    } else if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) {
      if (statement.exportKind === 'type') continue;
      if (statement.exported) result.named.set(nameOf(statement.exported), { type: 'reexport', source: statement.source.value, name: '*' });
      else result.stars.push(statement.source.value);
    } else if (statement.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
      const declaration = statement.declaration;
      const node =
        (declaration.type === AST_NODE_TYPES.FunctionDeclaration || declaration.type === AST_NODE_TYPES.ClassDeclaration) && declaration.id
          ? declaration.id
          : declaration;
      result.named.set('default', { type: 'local', node });
    }
  }
  // CommonJS: assignments to module.exports and exports.x anywhere at the top level.
  walk(program, (node) => {
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return true;
    const left = unwrapExpression(node.left);
    if (left.type !== AST_NODE_TYPES.MemberExpression) return true;
    const object = unwrapExpression(left.object);
    if (object.type === AST_NODE_TYPES.Identifier && object.name === 'module' && staticPropertyName(left) === 'exports') {
      result.commonjs = node.right;
    } else {
      const name = staticPropertyName(left);
      const onExports =
        (object.type === AST_NODE_TYPES.Identifier && object.name === 'exports') ||
        (object.type === AST_NODE_TYPES.MemberExpression && isModuleExports(object));
      if (onExports && name !== undefined) result.commonjsNamed.set(name, node.right);
    }
    return true;
  });
  return result;
}

function nameOf(node: TSESTree.Identifier | TSESTree.StringLiteral): string {
  return node.type === AST_NODE_TYPES.Identifier ? node.name : node.value;
}
