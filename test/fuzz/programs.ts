/**
 * Varied programs for the fuzz test: a module from the benchmark's templates (TypeScript or
 * CommonJS JavaScript, about half of them on Redis), mutated by a seeded PRNG: statements
 * reordered, function bodies wrapped in try/catch/finally or in a callback, awaits turned into
 * promise chains, functions moved into classes, imports turned into require, and odd syntax
 * added (decorators, `using`, JSX, Flow annotations). Every program carries sentinel comment
 * lines (Latin-1 letters and a tab) that no codemod has a reason to touch.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse, type TSESTree } from '@typescript-eslint/typescript-estree';

interface Random {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

interface Templates {
  random(seed: number): Random;
  renderFile(seed: number, index: number, options?: { typedOnly?: boolean; jsShare?: number }): { path: string; source: string; kind: string };
}

export interface Program {
  /** A file name whose extension says how to parse it. */
  name: string;
  text: string;
  kind: string;
  mutations: string[];
  /** Sentinel lines, each present once; a codemod may re-indent them, never change them. */
  sentinels: string[];
}

let templates: Templates | undefined;

export async function loadTemplates(): Promise<Templates> {
  templates ??= (await import(pathToFileURL(path.resolve(__dirname, '..', '..', 'bench', 'lib', 'templates.mjs')).href)) as Templates;
  return templates;
}

type Mutation = (text: string, r: Random, context: { ts: boolean; id: number }) => string | undefined;

/** The i-th program of a seed. Deterministic in (seed, index). */
export function generateProgram(t: Templates, seed: number, index: number): Program {
  const r = t.random(seed * 7_919 + index);
  const file = t.renderFile(seed, index, { jsShare: 0.4 });
  const ts = file.path.endsWith('.ts');
  let extension = ts ? '.ts' : '.js';
  let text = file.source;
  const applied: string[] = [];
  // Faults first, so that the mutations below wrap, move and reorder them too.
  if (r.chance(0.75)) {
    text = injectFaults(text, r, ts);
    applied.push('faults');
  }
  const names = Object.keys(MUTATIONS).filter((name) => ts || !TS_ONLY.has(name));
  const count = r.int(1, 4);
  for (let step = 0; step < count; step++) {
    const name = r.pick(names);
    if (name === 'jsx' && applied.includes('flow')) continue;
    if (name === 'flow' && (applied.includes('jsx') || ts)) continue;
    let next: string | undefined;
    try {
      next = MUTATIONS[name]!(text, r, { ts, id: step });
    } catch {
      // The mutation could not read the program (e.g. JSX parsed as TypeScript): skip it.
      continue;
    }
    if (next === undefined || next === text) continue;
    const nextExtension = name === 'jsx' ? (ts ? '.tsx' : '.jsx') : extension;
    // A mutation that breaks the syntax (it shouldn't) is dropped: the fuzz is about valid programs.
    if (!parses(next, nextExtension)) continue;
    text = next;
    extension = nextExtension;
    applied.push(name);
  }
  const sentinels: string[] = [];
  text = addSentinels(text, r, sentinels);
  return { name: `p${seed}-${index}-${file.kind}${extension}`, text, kind: file.kind, mutations: applied, sentinels };
}

const TS_ONLY = new Set(['decorators', 'using']);

function parseProgram(text: string, extension = '.ts'): TSESTree.Program {
  return parse(text, { range: true, loc: true, jsx: extension.endsWith('x'), comment: false });
}

function parses(text: string, extension: string): boolean {
  try {
    parseProgram(text, extension);
    return true;
  } catch {
    return false;
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  return out;
}

/** Every node of a kind, in source order. */
function nodesOf<T extends TSESTree.Node>(program: TSESTree.Program, test: (node: TSESTree.Node) => node is T): T[] {
  const found: T[] = [];
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const child of node) visit(child);
      return;
    }
    const candidate = node as TSESTree.Node;
    if (typeof candidate.type !== 'string') return;
    if (test(candidate)) found.push(candidate);
    for (const [key, value] of Object.entries(candidate)) if (key !== 'parent' && key !== 'loc' && key !== 'range') visit(value);
  };
  visit(program);
  return found;
}

type FunctionNode = TSESTree.FunctionDeclaration | TSESTree.FunctionExpression | TSESTree.ArrowFunctionExpression;

function functionsWithBlocks(program: TSESTree.Program): Array<FunctionNode & { body: TSESTree.BlockStatement }> {
  return nodesOf(
    program,
    (node): node is FunctionNode & { body: TSESTree.BlockStatement } =>
      (node.type === 'FunctionDeclaration' || node.type === 'FunctionExpression' || node.type === 'ArrowFunctionExpression') && node.body.type === 'BlockStatement' && node.body.body.length > 0,
  );
}

function bodyText(text: string, body: TSESTree.BlockStatement): string {
  return text.slice(body.range[0] + 1, body.range[1] - 1);
}

const MUTATIONS: Record<string, Mutation> = {
  /** Shuffles the top-level statements after the imports. */
  reorder(text, r) {
    const program = parseProgram(text);
    const body = program.body.filter((statement) => statement.type !== 'ImportDeclaration' && !isRequire(statement));
    if (body.length < 2) return undefined;
    const order = [...body].sort(() => r.next() - 0.5);
    const edits = body.map((statement, index) => ({ start: statement.range[0], end: statement.range[1], text: text.slice(order[index]!.range[0], order[index]!.range[1]) }));
    return applyEdits(text, edits);
  },

  /** Wraps a function body in try/catch/finally. */
  try(text, r) {
    const functions = functionsWithBlocks(parseProgram(text));
    if (functions.length === 0) return undefined;
    const target = r.pick(functions);
    const inner = bodyText(text, target.body);
    const handler = r.pick(['catch (error) {\n    throw error;\n  }', 'catch {\n    return undefined as never;\n  }', 'finally {\n    void 0;\n  }', 'catch (error) {\n    console.error(error);\n    throw error;\n  } finally {\n    void 0;\n  }']);
    return applyEdits(text, [{ start: target.body.range[0], end: target.body.range[1], text: `{\n  try {${inner}} ${handler}\n}` }]);
  },

  /** Runs an async function's body inside a callback: an async IIFE handed to a promise. */
  callback(text, r) {
    const functions = functionsWithBlocks(parseProgram(text)).filter((fn) => fn.async);
    if (functions.length === 0) return undefined;
    const target = r.pick(functions);
    const inner = bodyText(text, target.body);
    return applyEdits(text, [
      { start: target.body.range[0], end: target.body.range[1], text: `{\n  return await new Promise((resolve, reject) => {\n    (async () => {${inner}})().then(resolve, reject);\n  });\n}` },
    ]);
  },

  /** `await call()` becomes `await call().then((value) => value)` (with a catch now and then). */
  then(text, r) {
    const awaits = nodesOf(parseProgram(text), (node): node is TSESTree.AwaitExpression => node.type === 'AwaitExpression' && node.argument.type === 'CallExpression');
    if (awaits.length === 0) return undefined;
    const target = r.pick(awaits);
    const call = text.slice(target.argument.range[0], target.argument.range[1]);
    const chain = r.chance(0.5) ? `${call}.then((value) => value)` : `${call}.then((value) => value).catch((error) => {\n    throw error;\n  })`;
    return applyEdits(text, [{ start: target.argument.range[0], end: target.argument.range[1], text: chain }]);
  },

  /** A top-level function becomes a static method of a class (and a const that points at it). */
  class(text, r, { id }) {
    const program = parseProgram(text);
    const candidates = program.body.flatMap((statement) => {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
      return declaration?.type === 'FunctionDeclaration' && declaration.id ? [{ statement, declaration }] : [];
    });
    if (candidates.length === 0) return undefined;
    const { statement, declaration } = r.pick(candidates);
    const name = declaration.id!.name;
    const host = `Host${id}${name[0]!.toUpperCase()}${name.slice(1)}`;
    const method = text.slice(declaration.range[0], declaration.range[1]).replace(/^(async\s+)?function\s*(\*?)\s*/, (_, isAsync: string | undefined, star: string) => `static ${isAsync ?? ''}${star}`);
    const exported = statement.type === 'ExportNamedDeclaration' ? 'export ' : '';
    return applyEdits(text, [{ start: statement.range[0], end: statement.range[1], text: `class ${host} {\n  ${method}\n}\n${exported}const ${name} = ${host}.${name}.bind(${host});` }]);
  },

  /** Imports become require calls (TypeScript allows them too). */
  commonjs(text) {
    const program = parseProgram(text);
    const imports = program.body.filter((statement): statement is TSESTree.ImportDeclaration => statement.type === 'ImportDeclaration' && statement.importKind !== 'type');
    if (imports.length === 0) return undefined;
    const edits = imports.flatMap((declaration) => {
      const source = declaration.source.raw;
      const lines: string[] = [];
      const named: string[] = [];
      for (const specifier of declaration.specifiers) {
        if (specifier.type === 'ImportDefaultSpecifier') lines.push(`const ${specifier.local.name} = require(${source});`);
        else if (specifier.type === 'ImportNamespaceSpecifier') lines.push(`const ${specifier.local.name} = require(${source});`);
        else {
          const imported = specifier.imported.type === 'Identifier' ? specifier.imported.name : specifier.imported.value;
          named.push(imported === specifier.local.name ? imported : `${imported}: ${specifier.local.name}`);
        }
      }
      if (named.length > 0) lines.push(`const { ${named.join(', ')} } = require(${source});`);
      if (lines.length === 0) return [];
      return [{ start: declaration.range[0], end: declaration.range[1], text: lines.join('\n') }];
    });
    return edits.length === 0 ? undefined : applyEdits(text, edits);
  },

  /** A decorated class with a decorated method that calls into the module. */
  decorators(text, r, { id }) {
    const functions = parseProgram(text).body.flatMap((statement) => {
      const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
      return declaration?.type === 'FunctionDeclaration' && declaration.id ? [declaration.id.name] : [];
    });
    const call = functions.length > 0 ? `return ${r.pick(functions)}(...(args as []));` : 'return args.length;';
    return `${text}
function traced${id}<T>(value: T, _context: unknown): T {
  return value;
}

@traced${id}
export class Decorated${id} {
  @traced${id}
  async run(...args: unknown[]): Promise<unknown> {
    ${call}
  }
}
`;
  },

  /** `using` and `await using` declarations at the start of a function. */
  using(text, r) {
    const functions = functionsWithBlocks(parseProgram(text));
    if (functions.length === 0) return undefined;
    const target = r.pick(functions);
    const declaration = target.async && r.chance(0.5) ? 'await using scope = { async [Symbol.asyncDispose]() {} };' : 'using scope = { [Symbol.dispose]() {} };';
    return applyEdits(text, [{ start: target.body.range[0] + 1, end: target.body.range[0] + 1, text: `\n  ${declaration}` }]);
  },

  /** A JSX view (the file becomes .tsx / .jsx). */
  jsx(text, r, { id, ts }) {
    const props = ts ? ': { label: string; count: number }' : '';
    return `${text}
export const View${id} = (props${props}) => (
  <section className="view" data-count={props.count}>
    {props.label ? <strong>{props.label}</strong> : <em>none</em>}
  </section>
);
`;
  },

  /** A `@flow` pragma and annotations a Flow file would have (JavaScript only). */
  flow(text, r, { id }) {
    return `// @flow\n${text}
function flowTyped${id}(count: number, label?: string): string {
  return String(count) + (label ?? '');
}
`;
  },
};

/**
 * Code the codemods rewrite, in the shapes their fixtures have: a pool loan released outside
 * finally, a managed-call candidate, a client without a command timeout, a blocking command on
 * a shared client, a client made and closed per call.
 */
function injectFaults(text: string, r: Random, ts: boolean): string {
  const t = (annotation: string) => (ts ? annotation : '');
  const imports = ts
    ? "import { createPool as createPoolF } from 'generic-pool';\nimport RedisF from 'ioredis';\nimport { createClient as createClientF } from 'redis';\n"
    : "const { createPool: createPoolF } = require('generic-pool');\nconst RedisF = require('ioredis');\nconst { createClient: createClientF } = require('redis');\n";
  const exp = ts ? 'export ' : '';
  const faults = [
    `const poolF = createPoolF({ create: async () => new RedisF({ commandTimeout: 2000 }), destroy: async (client${t(': RedisF')}) => void (await client.quit()) }, { max: 4, acquireTimeoutMillis: 3000 });

${exp}async function leakyGet(key${t(': string')})${t(': Promise<string | null>')} {
  const conn = await poolF.acquire();
  const value = await conn.get(key);
  await poolF.release(conn);
  return value;
}

${exp}async function managedGet(key${t(': string')}) {
  const conn = await poolF.acquire();
  try {
    return await conn.get(key);
  } finally {
    await poolF.release(conn);
  }
}`,
    `${exp}const plainClient = new RedisF({ host: 'cache.internal', port: 6379 });
plainClient.on('error', (error${t(': Error')}) => console.error(error));`,
    `${exp}const sharedClient = new RedisF({ commandTimeout: 1000 });
sharedClient.on('error', (error${t(': Error')}) => console.error(error));

${exp}async function nextJob()${t(': Promise<unknown>')} {
  return sharedClient.blpop('jobs', 5);
}

${exp}async function readShared(key${t(': string')}) {
  return sharedClient.get(key);
}`,
    `${exp}async function perCall(key${t(': string')}) {
  const client = createClientF({ url: process.env.REDIS_URL });
  client.on('error', (error${t(': Error')}) => console.error(error));
  await client.connect();
  try {
    return await client.get(key);
  } finally {
    await client.quit();
  }
}`,
  ];
  const chosen = faults.filter(() => r.chance(0.5));
  if (chosen.length === 0) chosen.push(r.pick(faults));
  const exports = ts ? '' : '\nmodule.exports.faults = { };\n';
  return `${imports}${text}\n${chosen.join('\n\n')}\n${exports}`;
}

function isRequire(statement: TSESTree.ProgramStatement): boolean {
  return statement.type === 'VariableDeclaration' && statement.declarations.some((declarator) => declarator.init?.type === 'CallExpression' && declarator.init.callee.type === 'Identifier' && declarator.init.callee.name === 'require');
}

/**
 * Inserts comment lines (`// @@s3@@ café\tnaïve ©`) before a few statements, at the start of
 * their line: at top level and inside blocks, where codemods insert and move code.
 */
function addSentinels(text: string, r: Random, sentinels: string[]): string {
  let program: TSESTree.Program;
  try {
    program = parseProgram(text, '.tsx');
  } catch {
    try {
      program = parseProgram(text, '.ts');
    } catch {
      return text;
    }
  }
  const statements = nodesOf(program, (node): node is TSESTree.Statement => /Statement$|Declaration$/.test(node.type) && node.type !== 'BlockStatement' && node.type !== 'ExportSpecifier');
  const lineStarts = new Set<number>();
  for (const statement of statements) {
    const lineStart = text.lastIndexOf('\n', statement.range[0] - 1) + 1;
    // Only statements that begin their line, so the comment is a line of its own.
    if (/^[ \t]*$/.test(text.slice(lineStart, statement.range[0]))) lineStarts.add(lineStart);
  }
  const starts = [...lineStarts].filter(() => r.chance(0.35)).slice(0, 12);
  if (starts.length === 0 && lineStarts.size > 0) starts.push([...lineStarts][0]!);
  const edits = starts.map((start, index) => {
    const indent = /^[ \t]*/.exec(text.slice(start))![0];
    const sentinel = `// @@s${index}@@ café\tnaïve ©`;
    sentinels.push(sentinel);
    return { start, end: start, text: `${indent}${sentinel}\n` };
  });
  return applyEdits(text, edits);
}
