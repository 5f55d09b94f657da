/**
 * Classes that own a connection they never close, made per call. A class (or a constructor
 * function with prototype methods) that opens a connection on `this` and has no method that
 * closes it leaks one connection per instance; that matters when instances are made per request
 * or per call, which is what services that ran out of connections did. Reported with this
 * evidence, all in the same file:
 * - the class keeps an opened connection it made on `this` and nothing in it closes it, hands it
 *   out, or could (no close-like method touching it; see `loan-fields.ts`), it extends nothing
 *   and carries no decorator (a framework-managed provider is made once);
 * - a `new C()` runs in a function that is not run once at start-up (not module level, not a
 *   `main()` called only at module level, not a constructor), and the instance does not leave
 *   it (not returned, stored, passed on or exported): every call makes one and drops it.
 * `checkClassFields: true` reports every such class whatever instantiates it.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import * as path from 'node:path';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, isModuleLevel, methodCallOn, skipWrappersUp, staticPropertyName, thisPropertyName, unwrapExpression, walk, type FunctionNode } from './ast';
import type { RedisAnalysis } from './context';
import { readsOpen, runsOnlyOnce } from './lifetimes';
import { CLOSE_METHOD_NAMES, HAND_OUTS, unclosedConnectionFields, type UnclosedField } from './loan-fields';
import { closesItself, connectionMadeIn, valueSpecOf } from './loans';
import { readExports, type ModuleSettings, type ModuleView } from './modules';
import type { RedisValue } from './origin';
import { nodesOfType, nodesOfTypes } from './node-index';
import { findVariableFor, importOf, isReassigned } from './scope';
import { droppedThroughCallback, placementOf, usesOf } from './uses';

type ClassNode = TSESTree.ClassDeclaration | TSESTree.ClassExpression;

export interface PerCallClassLeak extends UnclosedField {
  className: string;
  /** The `new C()` that runs per call and drops the instance. */
  instantiation: TSESTree.NewExpression;
}

/** The unclosed connection fields of a class that some function of this file instantiates per call. */
export function perCallClassLeaks(classNode: ClassNode, analysis: RedisAnalysis): PerCallClassLeak[] {
  if ((classNode.decorators?.length ?? 0) > 0) return [];
  const name = classNameOf(classNode);
  if (!name) return [];
  const fields = unclosedConnectionFields(classNode, analysis);
  if (fields.length === 0) return [];
  const instantiation = perCallInstantiation(name, analysis, classNode);
  if (!instantiation) return [];
  return fields.map((field) => ({ ...field, className: name.name, instantiation }));
}

function classNameOf(classNode: ClassNode): TSESTree.Identifier | undefined {
  if (classNode.id) return classNode.id;
  const { parent } = skipWrappersUp(classNode);
  return parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id : undefined;
}

/** A `new Name()` in a function that runs more than once, whose instance is dropped at the end of the call. */
function perCallInstantiation(name: TSESTree.Identifier, analysis: RedisAnalysis, declaration?: TSESTree.Node): TSESTree.NewExpression | undefined {
  // A class declaration binds its name twice: inside the class, and in the scope around it.
  const variable =
    declaration?.type === AST_NODE_TYPES.ClassDeclaration
      ? analysis.sourceCode.getDeclaredVariables(declaration).find((candidate) => candidate.scope.block !== declaration)
      : findVariableFor(analysis.sourceCode, name);
  if (!variable) return undefined;
  for (const reference of variable.references) {
    const { node, parent } = skipWrappersUp(reference.identifier);
    if (parent?.type !== AST_NODE_TYPES.NewExpression || parent.callee !== node) continue;
    if (isMadePerCallAndDropped(parent, analysis)) return parent;
  }
  return undefined;
}

/** Made in a function that runs more than once (not module level, a constructor or start-up code), and dropped there. */
function isMadePerCallAndDropped(creation: TSESTree.NewExpression, analysis: RedisAnalysis): boolean {
  if (isModuleLevel(creation)) return false;
  const fn = enclosingFunction(creation);
  if (!fn || runsOnlyOnce(fn, analysis)) return false;
  const isConstructor = fn.parent?.type === AST_NODE_TYPES.MethodDefinition && fn.parent.kind === 'constructor';
  return !isConstructor && isDroppedInCall(creation, analysis);
}

/**
 * The instance is only used in the function: `const ds = new C(); ds.get(…)`, `new C().get(…)`,
 * or handed to a callback that only uses it (`cb(null, new C())`, `droppedThroughCallback`).
 */
function isDroppedInCall(creation: TSESTree.NewExpression, analysis: RedisAnalysis): boolean {
  const { node, parent } = skipWrappersUp(creation);
  // `new C().get(k)`: nothing can reach the instance after the call (the class hands out nothing).
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.object === node) return methodCallOn(node) !== undefined;
  if (parent?.type === AST_NODE_TYPES.ExpressionStatement || droppedThroughCallback(node, analysis.sourceCode)) return true;
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.id.type !== AST_NODE_TYPES.Identifier || parent.init !== node) return false;
  const variable = findVariableFor(analysis.sourceCode, parent.id);
  if (!variable || isReassigned(variable)) return false;
  // Commands and reads only: returned, stored, passed on or put in an object, it may be closed by whoever gets it.
  return usesOf(variable, analysis.sourceCode).every((use) => use.kind === 'method-call' || use.kind === 'read');
}

/** A connection a constructor function keeps on `this` and its prototype never closes (with `checkClassFields`, every instance). */
export type ConstructorFunctionLeak = Omit<PerCallClassLeak, 'instantiation'> & { instantiation: TSESTree.NewExpression | undefined };

/**
 * `function Datastore() { this.client = redis.createClient(); }` with
 * `Datastore.prototype.get = function () { … }`: the pre-class shape of the same fault.
 */
export function constructorFunctionLeaks(program: TSESTree.Program, analysis: RedisAnalysis, everyClass: boolean): ConstructorFunctionLeak[] {
  const leaks: ConstructorFunctionLeak[] = [];
  for (const { id: name, fn, methods } of constructorFunctionClasses(program).values()) {
    const fields = name && fn ? connectionFieldsOf(fn, analysis) : [];
    if (fields.length === 0) continue;
    const body = [fn!, ...methods.map((method) => method.fn)];
    const instantiation = everyClass ? undefined : perCallInstantiation(name!, analysis);
    if (!everyClass && !instantiation) continue;
    for (const field of fields) {
      if (!isOpened(field, body)) continue;
      if (body.some((part) => touchesFieldWith(part, field.field, (use) => isClosingUse(use, field, analysis) || HAND_OUTS.has(placementOf(use).placement)))) continue;
      if (methods.some((method) => CLOSE_METHOD_NAMES.includes(method.name) && touchesFieldWith(method.fn, undefined, () => true))) continue;
      leaks.push({ className: name!.name, field: field.field, value: field.value, creation: field.creation, instantiation });
    }
  }
  return leaks;
}

export interface ConstructorFunctionClass {
  id?: TSESTree.Identifier;
  fn?: FunctionNode;
  methods: { name: string; fn: FunctionNode }[];
}

const constructorFunctionsByProgram = new WeakMap<TSESTree.Program, Map<string, ConstructorFunctionClass>>();

/** The module's constructor functions with their prototype methods, by the constructor's name (read once per file: every client asks). */
export function constructorFunctionClasses(program: TSESTree.Program): Map<string, ConstructorFunctionClass> {
  const known = constructorFunctionsByProgram.get(program);
  if (known) return known;
  const classes = new Map<string, ConstructorFunctionClass>();
  constructorFunctionsByProgram.set(program, classes);
  for (const fn of nodesOfTypes(program, [AST_NODE_TYPES.FunctionDeclaration, AST_NODE_TYPES.FunctionExpression])) {
    const part = constructorFunctionOf(fn);
    const entry = part && (classes.get(part.owner) ?? classes.set(part.owner, { methods: [] }).get(part.owner)!);
    if (part && part.method === undefined) Object.assign(entry!, { id: part.id, fn });
    else if (part?.method !== undefined) entry!.methods.push({ name: part.method, fn });
  }
  return classes;
}

/**
 * The module-level constructor function `fn` is (`function Store() {…}`, `var Store =
 * module.exports = function () {…}`: its name as `id`; `store.Store = function () {…}`: no `id`)
 * or whose prototype method it is (`Store.prototype.m = function () {…}`, also wrapped in one
 * call as `thenify(function () {…})`, or `Store.prototype = { m() {…} }`: the `method`).
 */
export function constructorFunctionOf(fn: FunctionNode): { owner: string; id?: TSESTree.Identifier; method?: string } | undefined {
  if (fn.type === AST_NODE_TYPES.ArrowFunctionExpression || fn.generator || !isModuleLevel(fn)) return undefined;
  let { node, parent } = skipWrappersUp(fn);
  const key = parent?.type === AST_NODE_TYPES.Property && parent.value === node ? parent : undefined;
  if (key) ({ node, parent } = skipWrappersUp(key.parent));
  // `thenify(function (cb) {…})`: a wrapper that calls the method with the same `this`.
  const wrapper = !key && parent?.type === AST_NODE_TYPES.CallExpression && parent.arguments.length === 1 && parent.arguments[0] === node ? skipWrappersUp(parent) : undefined;
  const assigned = wrapper ?? { node, parent };
  if (assigned.parent?.type === AST_NODE_TYPES.AssignmentExpression && assigned.parent.right === assigned.node) {
    const left = assigned.parent.left;
    const prototype = key ? left : left.type === AST_NODE_TYPES.MemberExpression ? left.object : undefined;
    const method = key ? staticPropertyName(key) : left.type === AST_NODE_TYPES.MemberExpression ? staticPropertyName(left) : undefined;
    const owner = prototype?.type === AST_NODE_TYPES.MemberExpression && staticPropertyName(prototype) === 'prototype' ? constructorName(prototype.object) : undefined;
    if (owner !== undefined && method !== undefined) return { owner, method };
  }
  if (key || wrapper || fn.async) return undefined;
  // `var Store = module.exports = function () {…}`
  while (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node) {
    // `store.Store = function () {…}`: named by the member it is assigned to.
    const named = parent.left.type === AST_NODE_TYPES.MemberExpression ? constructorName(parent.left) : undefined;
    if (named !== undefined) return { owner: named };
    ({ node, parent } = skipWrappersUp(parent));
  }
  const id = fn.type === AST_NODE_TYPES.FunctionDeclaration ? fn.id : parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.id.type === AST_NODE_TYPES.Identifier ? parent.id : undefined;
  return id && constructorName(id) ? { owner: id.name, id } : undefined;
}

/** `Store`, or `store.Store` (a static member chain): the name a constructor goes by, capitalised as constructors are. */
function constructorName(node: TSESTree.Node): string | undefined {
  if (node.type === AST_NODE_TYPES.Identifier) return /^[A-Z]/.test(node.name) ? node.name : undefined;
  if (node.type !== AST_NODE_TYPES.MemberExpression || node.computed || node.property.type !== AST_NODE_TYPES.Identifier) return undefined;
  const object = node.object.type === AST_NODE_TYPES.Identifier ? node.object.name : undefined;
  return object !== undefined && object !== 'module' && object !== 'exports' && /^[A-Z]/.test(node.property.name) ? `${object}.${node.property.name}` : undefined;
}

/** `this.client = redis.createClient()` directly in the constructor function's body. */
function connectionFieldsOf(fn: FunctionNode, analysis: RedisAnalysis): UnclosedField[] {
  const fields: UnclosedField[] = [];
  walk(fn.body, (node) => {
    if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.operator !== '=') return true;
    const field = thisPropertyName(node.left);
    const made = field === undefined ? undefined : connectionMadeIn(node.right, analysis);
    if (made && !fields.some((known) => known.field === field)) fields.push({ field: field!, ...made });
    return true;
  });
  return fields;
}

/** The uses of `this.<field>` (every `this.x` member when field is undefined) in a function, not in nested plain functions. */
function touchesFieldWith(fn: FunctionNode, field: string | undefined, accept: (use: TSESTree.MemberExpression) => boolean): boolean {
  let found = false;
  walk(fn.body, (node) => {
    if (found) return false;
    if (node !== fn && isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
    if (
      node.type === AST_NODE_TYPES.MemberExpression &&
      unwrapExpression(node.object).type === AST_NODE_TYPES.ThisExpression &&
      (field === undefined || staticPropertyName(node) === field) &&
      accept(node)
    ) {
      found = true;
    }
    return !found;
  });
  return found;
}

/** `this.client.quit()`, and the release methods the catalog names for the value. */
function isClosingUse(use: TSESTree.MemberExpression, field: UnclosedField, analysis: RedisAnalysis): boolean {
  const { node, parent } = skipWrappersUp(use);
  if (parent?.type !== AST_NODE_TYPES.MemberExpression || parent.object !== node) return false;
  return closesItself(field.value, { method: staticPropertyName(parent), call: methodCallOn(use)?.call }, analysis);
}

/** A node-redis connection holds a socket once `connect()` ran on `this.<field>`. */
function isOpened(field: UnclosedField, body: FunctionNode[]): boolean {
  const opensWith = valueSpecOf(field.value)?.opensWith;
  if (opensWith === undefined) return true;
  return readsOpen(field.creation, opensWith) || body.some((fn) => touchesFieldWith(fn, field.field, (use) => readsOpen(use, opensWith)));
}

/** A class of another project module that keeps a connection nothing closes, made here per call. */
export interface ImportedClassLeak {
  instantiation: TSESTree.NewExpression;
  className: string;
  field: string;
  value: RedisValue;
  /** The import specifier, as written here. */
  source: string;
}

/**
 * `new RedisCache()` in a service method, where `RedisCache` is a class of a project module
 * (relative imports and tsconfig `paths` aliases, through the module view) whose connection field
 * nothing closes. The same evidence as in one file: dropped at the end of a call that runs more
 * than once.
 */
export function importedClassLeaks(program: TSESTree.Program, analysis: RedisAnalysis, filename: string, view: ModuleView, settings: ModuleSettings): ImportedClassLeak[] {
  if (!settings.enabled || !path.isAbsolute(filename)) return [];
  const leaks: ImportedClassLeak[] = [];
  const checked = new Map<string, { className: string; fields: UnclosedField[] } | null>();
  for (const node of nodesOfType(program, AST_NODE_TYPES.NewExpression)) {
    if (node.callee.type !== AST_NODE_TYPES.Identifier || isModuleLevel(node)) continue;
    const variable = findVariableFor(analysis.sourceCode, node.callee);
    const imported = variable && importOf(variable);
    // A class imported or required from a module, not a namespace.
    if (!imported || imported.name === '*') continue;
    const key = `${imported.source}\0${imported.name}`;
    let found = checked.get(key);
    if (found === undefined) {
      found = unclosedFieldsOfImportedClass(imported, filename, view, settings) ?? null;
      checked.set(key, found);
    }
    if (!found || found.fields.length === 0 || !isMadePerCallAndDropped(node, analysis)) continue;
    for (const field of found.fields) {
      leaks.push({ instantiation: node, className: found.className, field: field.field, value: field.value, source: imported.source });
    }
  }
  return leaks;
}

function unclosedFieldsOfImportedClass(
  imported: { source: string; name: string },
  filename: string,
  view: ModuleView,
  settings: ModuleSettings,
): { className: string; fields: UnclosedField[] } | undefined {
  const file = view.resolveSpecifier(filename, imported.source);
  const module = file === undefined ? undefined : view.module(file, settings);
  if (!module) return undefined;
  const classNode = exportedClass(module.sourceCode.ast, imported.name);
  if (!classNode || (classNode.decorators?.length ?? 0) > 0) return undefined;
  // The other module's own resolver knows its imports; only origins and source are read.
  const moduleAnalysis = { origins: module.origins, sourceCode: module.sourceCode } as RedisAnalysis;
  const fields = unclosedConnectionFields(classNode, moduleAnalysis);
  return { className: classNode.id?.name ?? imported.name, fields };
}

/** The class a module exports under `name` ('default' for the default or `module.exports` export), declared at its top level. */
function exportedClass(program: TSESTree.Program, name: string): ClassNode | undefined {
  const entry = readExports(program).named.get(name);
  const node = entry?.type === 'node' ? entry.node : undefined;
  if (node?.type === AST_NODE_TYPES.ClassDeclaration || node?.type === AST_NODE_TYPES.ClassExpression) return node;
  if (node?.type !== AST_NODE_TYPES.Identifier) return undefined;
  for (const statement of program.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration || statement.type === AST_NODE_TYPES.ExportDefaultDeclaration ? statement.declaration : statement;
    if (declaration?.type === AST_NODE_TYPES.ClassDeclaration && declaration.id?.name === node.name) return declaration;
  }
  return undefined;
}
