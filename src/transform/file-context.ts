/**
 * One parsed file and what the codemods know about it: parent links, scopes and origins. The
 * codemods never change a tree: they edit the text and parse it again into a new context.
 * Relative imports are followed (read and parsed once per run, never printed) so a pool created
 * in another module of the project is recognised.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ParentIndex, unwrap, isMember, staticName, type Node } from './ast';
import { OriginResolver, type Origin } from './origins';
import { parseSource } from './parsers';
import { Scopes } from './scope';

export class FileContext {
  readonly index: ParentIndex;
  readonly scopes: Scopes;
  readonly origins: OriginResolver;

  constructor(
    readonly filePath: string,
    /** The `File` node (or `Program`). */
    readonly root: Node,
    private readonly modules: ModuleLoader,
    /** The text the tree was parsed from (offsets in the tree point into it). */
    readonly source = '',
  ) {
    this.index = new ParentIndex(root);
    this.scopes = new Scopes(this.index);
    this.origins = new OriginResolver(this);
  }

  get program(): Node {
    return this.root.type === 'File' ? this.root.program : this.root;
  }

  /** The local module a relative specifier names, parsed. */
  load(specifier: string): FileContext | undefined {
    return this.modules.load(this.filePath, specifier);
  }

  /** What this module exports under a name (ESM exports and `module.exports`). */
  exportedOrigin(name: string): Origin | undefined {
    const program = this.program;
    for (const statement of program.body) {
      if (statement.type === 'ExportNamedDeclaration') {
        if (statement.declaration?.type === 'VariableDeclaration') {
          const binding = this.scopes.declaredIn(program, name);
          if (binding && binding.declaration === statement.declaration) return this.origins.fromBinding(binding);
        }
        for (const specifier of statement.specifiers ?? []) {
          const exported = specifier.exported?.name ?? specifier.exported?.value;
          if (exported !== name || specifier.type !== 'ExportSpecifier') continue;
          if (statement.source) return this.load(statement.source.value)?.exportedOrigin(specifier.local.name);
          const binding = this.scopes.declaredIn(program, specifier.local.name);
          return binding ? this.origins.fromBinding(binding) : undefined;
        }
      } else if (statement.type === 'ExportDefaultDeclaration' && name === 'default') {
        const declaration = statement.declaration;
        return declaration && !declaration.type.endsWith('Declaration') ? this.origins.resolve(declaration) : undefined;
      } else if (statement.type === 'ExportAllDeclaration' && statement.source && !statement.exported) {
        const origin = this.load(statement.source.value)?.exportedOrigin(name);
        if (origin) return origin;
      } else if (statement.type === 'ExpressionStatement' && statement.expression.type === 'AssignmentExpression') {
        const origin = this.commonjsExport(statement.expression, name);
        if (origin) return origin;
      }
    }
    return undefined;
  }

  /** `module.exports = { name }`, `module.exports.name = x`, `exports.name = x`, `module.exports = x` (default). */
  private commonjsExport(assignment: Node, name: string): Origin | undefined {
    if (assignment.operator !== '=' || !isMember(assignment.left)) return undefined;
    const left = assignment.left;
    const isModuleExports = (node: Node) =>
      isMember(node) && node.object.type === 'Identifier' && node.object.name === 'module' && staticName(node) === 'exports';
    if (isModuleExports(left)) {
      const right = unwrap(assignment.right);
      if (right.type === 'ObjectExpression') {
        const property = right.properties.find((p: Node) => p.type === 'ObjectProperty' && staticName(p) === name);
        return property ? this.origins.resolve(property.value) : undefined;
      }
      return name === 'default' ? this.origins.resolve(right) : undefined;
    }
    const isExportsObject = (node: Node) => (node.type === 'Identifier' && node.name === 'exports') || isModuleExports(node);
    if (isExportsObject(left.object) && staticName(left) === name) return this.origins.resolve(assignment.right);
    return undefined;
  }
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];
const MAX_DEPTH = 6;

/** Reads and parses the local modules a file imports, once per run. */
export class ModuleLoader {
  private readonly contexts = new Map<string, FileContext | null>();
  private depth = 0;

  /** The first file opened is the one being transformed: it is never re-read from disk. */
  register(context: FileContext): void {
    this.contexts.set(path.resolve(context.filePath), context);
  }

  load(fromFile: string, specifier: string): FileContext | undefined {
    if (!specifier.startsWith('./') && !specifier.startsWith('../')) return undefined;
    const file = resolveFile(path.resolve(path.dirname(fromFile), specifier));
    if (!file) return undefined;
    if (this.contexts.has(file)) return this.contexts.get(file) ?? undefined;
    if (this.depth >= MAX_DEPTH) return undefined;
    this.contexts.set(file, null);
    this.depth++;
    try {
      const parsedModule = parseModule(file);
      const context = parsedModule ? new FileContext(file, parsedModule.root, this, parsedModule.source) : undefined;
      this.contexts.set(file, context ?? null);
      return context;
    } finally {
      this.depth--;
    }
  }
}

// Imported modules are only read, never printed: their trees are shared across the files of a run.
const parsed = new Map<string, { mtimeMs: number; size: number; module: { root: Node; source: string } | undefined }>();
const PARSED_LIMIT = 500;

function parseModule(file: string): { root: Node; source: string } | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  const cached = parsed.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.module;
  let module: { root: Node; source: string } | undefined;
  try {
    const source = fs.readFileSync(file, 'utf8');
    module = { root: parseSource(file, source), source };
  } catch {
    module = undefined;
  }
  if (parsed.size >= PARSED_LIMIT) parsed.delete(parsed.keys().next().value!);
  parsed.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, module });
  return module;
}

/** Node/TypeScript-style resolution of a relative import to a source file. */
function resolveFile(base: string): string | undefined {
  const candidates: string[] = [];
  const extension = path.extname(base);
  if (EXTENSIONS.includes(extension)) {
    candidates.push(base);
    // TypeScript's ESM style: `./pool.js` names `./pool.ts`.
    const stem = base.slice(0, -extension.length);
    const sources = extension === '.mjs' ? ['.mts'] : extension === '.cjs' ? ['.cts'] : ['.ts', '.tsx'];
    for (const source of sources) candidates.push(stem + source);
  } else {
    for (const candidate of EXTENSIONS) candidates.push(base + candidate);
    for (const candidate of EXTENSIONS) candidates.push(path.join(base, `index${candidate}`));
  }
  return candidates.find((candidate) => {
    try {
      return fs.statSync(candidate).isFile() && !candidate.endsWith('.d.ts');
    } catch {
      return false;
    }
  });
}
