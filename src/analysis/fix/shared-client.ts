/**
 * The shared-client plan: a function that makes a client and closes it on every call gets one
 * module-level client it reuses (the runbook's "use the high-level client"). No rule reports
 * these (a per-call client closed in a `finally` is correct, only wasteful): the planning-only
 * rule `SHARED_CLIENT_PLANNER` records the plans for the `shared-client` codemod.
 *
 *                                                  const client = createClient({ url: REDIS_URL });
 *     export async function getUser(id) {          client.on('error', onError);
 *       const client = createClient({ url });
 *       client.on('error', onError);               export async function getUser(id) {
 *       await client.connect();            →         if (!client.isOpen) await client.connect();
 *       try {                                        return await client.get(`user:${id}`);
 *         return await client.get(`user:${id}`);   }
 *       } finally {
 *         await client.close();
 *       }
 *     }
 *
 * Values opened with a method (catalog `opensWith`) are opened on first use with the catalog's
 * `openState` check. What moves, what is reused and which functions are left alone, and why:
 * docs/codemods/shared-client.md.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { LIBRARIES } from '../../catalog';
import { changesConnectionState } from '../../catalog/connection-state';
import { AST_NODE_TYPES, enclosingFunction, isFunctionNode, lineOf, methodCallOn, skipWrappersUp, statementCall, unwrapExpression, walk, within, type FunctionNode } from '../ast';
import type { RedisAnalysis } from '../context';
import { clientOptionsOf } from '../options';
import type { RedisValue } from '../origin';
import { planAt, recordPlan, type AnyRule } from '../plans';
import { findVariableFor, isGlobal, writesOf, type Variable } from '../scope';
import { analysisRule } from '../standalone';
import { usesOf, type Use } from '../uses';
import { chainAfter, type ChainSegment } from './dedicated-connection';
import { closeOnShutdown } from './shutdown';
import { closesReceiver, identifierNames, moduleScopeOf, templateRanges, topLevelStatement, tryOfBareFinally, wholeStatement, withGuard } from './nodes';
import { overflows, widthOfAnalysed } from './layout';
import { applyEdits, chainBreakOf, endWithTrailingComment, fileIndentUnit, indentationAt, indentUnitOf, leadingCommentStart, lineStartOf, newlineOf, nextLineStart, removalSpan, semicolonAfter, startsLine, type TextEdit } from './text';

export const SHARED_CLIENT = 'shared-client';

type Plan = { type: 'none' } | { type: 'skip'; reason: string } | { type: 'rewrite'; edits: TextEdit[]; name: string; created: boolean };

/** Handed-on uses: the function does not own the client alone. */
const TRANSFERS: Partial<Record<Use['kind'], string>> = {
  returned: 'returned',
  yielded: 'yielded',
  exported: 'exported',
  stored: 'stored outside the function',
  contained: 'put in an object or array',
  passed: 'passed to a function',
};

// Calls whose result depends only on their (static) arguments.
const PURE_GLOBAL_CALLS = new Set(['Number', 'String', 'Boolean', 'parseInt', 'parseFloat']);
const PURE_GLOBAL_OBJECTS = new Set(['Math', 'JSON', 'Number', 'String', 'Object', 'Array']);

interface Site {
  value: RedisValue & { call: TSESTree.CallExpression | TSESTree.NewExpression };
  variable: Variable;
  declaration: TSESTree.VariableDeclaration;
  declarator: TSESTree.VariableDeclarator & { id: TSESTree.Identifier; init: TSESTree.Expression };
  fn: FunctionNode;
}

/** `.quit(`, `.close(`…: a per-call client is closed in its function, so a file without a release call has no site. */
const RELEASE_CALL = new RegExp(
  `\\.\\s*(?:${[...new Set(LIBRARIES.flatMap((library) => Object.values(library.values).flatMap((spec) => Object.entries(spec?.methods ?? {}).filter(([, method]) => method.type === 'release').map(([name]) => name))))].join('|')})\\s*\\(`,
);

/** A cheap test on the text: whether a file can hold a per-call client that is closed. */
export function mightHoldPerCallClient(text: string): boolean {
  return RELEASE_CALL.test(text);
}

/** The planning-only rule the `shared-client` codemod runs: it reports nothing and records a plan per site. */
export const SHARED_CLIENT_PLANNER: { name: string; module: AnyRule } = {
  name: 'shared-client-planner',
  module: analysisRule(recordSharedClientPlans),
};

/**
 * Plans every per-call client of the file, one rewrite per module-level name in a pass: a second
 * function making the same client is planned on the next pass, and reuses the first one's.
 */
export function recordSharedClientPlans(analysis: RedisAnalysis): void {
  const names = new Set<string>();
  const creations = new Set<string>();
  for (const site of findSites(analysis)) {
    const plan = planSharedClient(site, analysis);
    const base = planAt(site.declaration, { rule: SHARED_CLIENT_PLANNER.name, kind: SHARED_CLIENT });
    if (plan.type === 'skip') recordPlan({ ...base, type: 'skip', reason: plan.reason });
    if (plan.type !== 'rewrite') continue;
    const key = creationKey(analysis.sourceCode.text, site.value, chainAfter(site.declarator.init, site.value.call, analysis.sourceCode.text)?.segments ?? []);
    if (names.has(plan.name) || (plan.created && creations.has(key))) continue;
    names.add(plan.name);
    if (plan.created) creations.add(key);
    recordPlan({
      ...base,
      type: 'rewrite',
      description: plan.created ? `the client is made once at module level as \`${plan.name}\` and reused` : `reuses the module-level \`${plan.name}\` made for an identical client`,
      edits: plan.edits,
    });
  }
}

/** `const c = <client made here>` in a function, one declarator, in a statement list. */
function findSites(analysis: RedisAnalysis): Site[] {
  const sites: Site[] = [];
  walk(analysis.sourceCode.ast, (node) => {
    if (node.type !== AST_NODE_TYPES.VariableDeclaration || node.declarations.length !== 1) return;
    if (node.kind !== 'const' && node.kind !== 'let' && node.kind !== 'var') return;
    const declarator = node.declarations[0]!;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) return;
    if (node.parent?.type !== AST_NODE_TYPES.BlockStatement && node.parent?.type !== AST_NODE_TYPES.SwitchCase) return;
    const fn = enclosingFunction(node);
    if (!fn) return;
    const value = analysis.origins.valueOrPromised(declarator.init);
    if (!value?.call || (value.how !== 'factory' && value.how !== 'constructor') || (value.kind !== 'client' && value.kind !== 'cluster')) return;
    if (!within(value.creation, declarator.init)) return;
    const variable = findVariableFor(analysis.sourceCode, declarator.id);
    if (!variable) return;
    sites.push({ value: value as Site['value'], variable, declaration: node, declarator: declarator as Site['declarator'], fn });
  });
  return sites.sort((a, b) => a.declaration.range[0] - b.declaration.range[0]);
}

function planSharedClient(site: Site, analysis: RedisAnalysis): Plan {
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const { value, variable } = site;
  const call = value.call;
  const library = value.library;
  const valueSpec = library.values[value.kind];
  const methods = valueSpec?.methods ?? {};
  const uses = usesOf(variable, sourceCode);
  const releases = uses.filter((use) => use.kind === 'method-call' && use.method !== undefined && use.call?.type === AST_NODE_TYPES.CallExpression && closesReceiver(methods[use.method], use.call));
  // Only a client the function makes and closes itself is a per-call connection to replace.
  if (releases.length === 0) return { type: 'none' };
  const writes = writesOf(variable);
  if (writes.length > 1) return { type: 'skip', reason: `it is assigned again at line ${lineOf(writes[1]!.node)}` };
  const alias = uses.find((use) => use.via);
  if (alias) return { type: 'skip', reason: `it is copied to another variable at line ${lineOf(aliasSite(variable) ?? alias.reference)}` };
  const transfer = uses.find((use) => TRANSFERS[use.kind]);
  if (transfer) return { type: 'skip', reason: `it is ${TRANSFERS[transfer.kind]} at line ${lineOf(transfer.reference)}, so the function does not own it alone` };
  const lateRelease = releases.find((use) => use.closure);
  if (lateRelease) return { type: 'skip', reason: `it is closed in a callback at line ${lineOf(lateRelease.reference)}` };
  const target = analysis.origins.resolve(call.callee);
  if (target?.type === 'export' && target.spec.type === 'factory' && target.spec.async) {
    return { type: 'skip', reason: `${library.displayName} makes clients asynchronously; a module-level one needs an awaited creation, made by hand` };
  }

  const opensWith = valueSpec?.opensWith;
  const listeners: TSESTree.ExpressionStatement[] = [];
  const listenerCalls: TSESTree.CallExpression[] = [];
  const connects: TSESTree.ExpressionStatement[] = [];
  for (const use of uses) {
    if (use.kind !== 'method-call' || use.call?.type !== AST_NODE_TYPES.CallExpression || use.method === undefined) continue;
    const command = analysis.commands.classifyOn(value, use.method, use.call);
    const at = `at line ${lineOf(use.call)}`;
    if (!command) return { type: 'skip', reason: `\`${use.method}()\` ${at} is not a command this codemod knows to be safe on a shared client` };
    if (command.type === 'blocking' && !command.isolated) {
      return { type: 'skip', reason: `it runs ${command.command} ${at}: a connection made for a blocking read must stay its own` };
    }
    if (command.type === 'takeover') return { type: 'skip', reason: `it runs ${command.command} ${at}: a subscriber or monitor connection must stay its own` };
    if (command.type === 'command' && changesConnectionState(command.command)) {
      return { type: 'skip', reason: `it runs ${command.command} ${at}, which changes the state of its connection for every later command` };
    }
    if (command.type !== 'lifecycle') continue;
    const spec = methods[use.method];
    if (spec?.type === 'listener') {
      const event = use.call.arguments[0] ? analysis.evaluator.string(use.call.arguments[0]) : undefined;
      if (event !== 'error') return { type: 'skip', reason: `it listens for '${event ?? 'an unknown event'}' ${at}, which a shared client would deliver to every caller's handler` };
      const statement = wholeStatement(use.call);
      if (!statement || use.closure) return { type: 'skip', reason: `its 'error' listener ${at} is not a statement of the function` };
      listeners.push(statement);
      listenerCalls.push(use.call);
    } else if (spec?.type === 'self' && use.method === opensWith) {
      const statement = wholeStatement(use.call);
      if (!statement || use.closure) return { type: 'skip', reason: `it is connected inside an expression ${at}` };
      connects.push(statement);
    } else if (spec?.type === 'self' && spec.async) {
      // ioredis `connect()` (with lazyConnect) rejects on a client that is already connecting.
      return { type: 'skip', reason: `it connects explicitly ${at} (lazyConnect); a shared client connects once: remove the connect call by hand` };
    } else if (spec?.type === 'produces') {
      return { type: 'skip', reason: `\`${use.method}()\` ${at} makes another connection from it` };
    }
  }

  const chain = chainAfter(site.declarator.init, call, text);
  if (!chain) return { type: 'skip', reason: 'its declaration does more than make the client' };
  const kept: ChainSegment[] = [];
  let chainConnects = false;
  for (const segment of chain.segments) {
    const spec = methods[segment.method];
    if (spec?.type === 'self' && segment.method === opensWith) chainConnects = true;
    else if (spec?.type === 'self' || spec?.type === 'listener') kept.push(segment);
    else return { type: 'skip', reason: `its declaration chains \`${segment.method}()\`, which the codemod does not move` };
  }

  // What the module-level creation would read must not depend on the call.
  const moved = [call, ...chain.segments.map((segment) => segment.call).reverse(), ...listenerCalls];
  const dependency = callDependency(analysis, moved);
  if (dependency) return { type: 'skip', reason: dependency };

  const openState = valueSpec?.openState;
  if (opensWith) {
    if (!chainConnects && connects.length === 0) return { type: 'skip', reason: `it is never connected here; a module-level ${library.displayName} client needs ${opensWith}()` };
    if (!openState) {
      return { type: 'skip', reason: `a ${library.displayName} ${value.kind} can't be opened on first use safely (a second caller could not wait for it); share it by hand` };
    }
    const offline = clientOptionsOf(value, analysis.evaluator).get(openState.offlineQueueDisabledBy);
    if (offline.status === 'unknown' || (offline.status === 'present' && !(offline.value.kind === 'primitive' && !offline.value.value))) {
      const how = offline.status === 'unknown' ? 'may be set' : 'is set';
      return { type: 'skip', reason: `${openState.offlineQueueDisabledBy.join('.')} ${how}: a second caller would fail while the shared client connects` };
    }
    if (!site.fn.async) return { type: 'skip', reason: 'the function is not async, so it cannot wait for the shared client to connect' };
  }

  const once = calledOnce(site.fn, analysis);
  if (once) return { type: 'skip', reason: once };
  const where = insertionPoint(analysis, site, moved);
  const early = runsWhileLoading(site.fn, where.at, analysis);
  if (early) return { type: 'skip', reason: `the function runs while the module loads (line ${lineOf(early)}), before a module-level client could be made` };

  // The release statements, and the `finally` blocks that hold nothing else.
  const releaseStatements = new Set<TSESTree.Statement>();
  for (const use of releases) {
    const statement = releaseStatementOf(use.call as TSESTree.CallExpression, variable);
    if (!statement) return { type: 'skip', reason: `it is closed inside an expression at line ${lineOf(use.call!)}` };
    releaseStatements.add(statement);
  }

  const existing = existingModuleClient(analysis, site, kept);
  const name = existing?.name ?? moduleName(analysis, site);
  if (!name) return { type: 'skip', reason: `\`${variable.name}\` and \`${variable.name}Shared\` are taken at module level; share it by hand` };
  if (!resolvesToModule(analysis, name, variable)) return { type: 'skip', reason: `\`${name}\` would be shadowed inside the function; share it by hand` };

  const comments = sourceCode.getAllComments();
  const newline = newlineOf(text);
  const semicolon = semicolonAfter(text, site.declaration);
  const guard = openState && opensWith ? `if (!${name}.${openState.property}) await ${name}.${opensWith}()${semicolon}` : undefined;
  const edits: TextEdit[] = [];
  // Spans whose text goes away or is rewritten whole: references inside them need no rename.
  const replaced: Array<{ start: number; end: number }> = [];
  const remove = (statement: TSESTree.Node) => {
    const span = removalSpan(text, comments, statement.range[0], statement.range[1]);
    edits.push({ start: span.start, end: span.end, text: '' });
    replaced.push(span);
  };
  const replace = (statement: TSESTree.Node, by: string) => {
    edits.push({ start: statement.range[0], end: statement.range[1], text: by });
    replaced.push({ start: statement.range[0], end: statement.range[1] });
  };
  // The `try` statements whose `finally` holds nothing but releases that go away.
  const tries = new Set([...releaseStatements].flatMap((statement) => tryOfBareFinally(statement, releaseStatements, comments) ?? []));
  // A guard that would push its line past the file's width takes a block (not inside a try that
  // is unwrapped: its lines are re-indented with it).
  const guardAt = (statement: TSESTree.Node): string => {
    if (!guard || !openState || !opensWith || [...tries].some((tryStatement) => within(statement, tryStatement))) return guard!;
    if (!overflows(text, statement.range[0], statement.range[1], guard, widthOfAnalysed(analysis))) return guard;
    const indent = indentationAt(text, statement.range[0]);
    return `if (!${name}.${openState.property}) {${newline}${indent}${fileIndentUnit(text)}await ${name}.${opensWith}()${semicolon}${newline}${indent}}`;
  };
  if (guard && chainConnects) replace(site.declaration, guardAt(site.declaration));
  else remove(site.declaration);
  for (const statement of connects) {
    if (guard) replace(statement, guardAt(statement));
    else remove(statement);
  }
  for (const statement of listeners) remove(statement);

  // The finally blocks that only close the client go with their try.
  for (const tryStatement of tries) replaced.push({ start: tryStatement.finalizer!.range[0], end: tryStatement.finalizer!.range[1] });
  for (const statement of releaseStatements) {
    if (![...tries].some((tryStatement) => within(statement, tryStatement.finalizer!))) remove(statement);
  }
  // The body keeps its references; they now name the module-level client (renamed if its name differs).
  const references = variable.references.filter((reference) => !reference.init).map((reference) => reference.identifier as TSESTree.Identifier);
  if (name !== variable.name) {
    for (const identifier of references) {
      if (replaced.some((span) => identifier.range[0] >= span.start && identifier.range[1] <= span.end)) continue;
      edits.push({ start: identifier.range[0], end: identifier.range[1], text: name });
    }
  }
  // Innermost first, so an outer try folds in the edits of the inner one.
  for (const tryStatement of [...tries].sort((a, b) => b.range[0] - a.range[0])) {
    const unwrapped = unwrapTry(analysis, tryStatement, edits, comments);
    if (unwrapped) return { type: 'skip', reason: unwrapped };
  }
  if (!existing) {
    edits.push(moduleDeclaration(text, site, kept, listeners, name, newline, where));
    // Where the module already closes things on shutdown, the new client is closed there too.
    const closing = closeOnShutdown(analysis, site.value, name, releases[0]!.method!, site.declaration);
    if (closing) edits.push(closing);
  } else if (!existing.hasErrorListener && listeners.length > 0) {
    // The module-level client has no 'error' listener: this function's moves beside it.
    const end = endWithTrailingComment(text, comments, existing.statement.range[1]).end;
    const moved = listeners.map((statement) => renamedText(text, statement, references, name));
    edits.push({ start: end, end, text: moved.map((line) => `${newline}${line}`).join('') });
  }
  return { type: 'rewrite', edits, name, created: !existing };
}

/** Where the variable is copied (`const other = client`). */
function aliasSite(variable: Variable): TSESTree.Node | undefined {
  for (const reference of variable.references) {
    const { node, parent } = skipWrappersUp(reference.identifier);
    if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === node) return parent;
    if (parent?.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node) return parent;
  }
  return undefined;
}

/** The statement that does nothing but close the client (perhaps guarded by `if (client)`). */
function releaseStatementOf(call: TSESTree.CallExpression, variable: Variable): TSESTree.Statement | undefined {
  const statement = wholeStatement(call);
  if (!statement || statementCall(statement) !== call) return undefined;
  return withGuard(statement, (test) => readsVariable(test, variable));
}

/** A guard that asks about the client itself (`if (client)`, `if (client.isOpen)`). */
function readsVariable(test: TSESTree.Node, variable: Variable): boolean {
  return variable.references.some((reference) => within(reference.identifier, test));
}

/** Every reference in the file, by its identifier. */
function referenceIndex(analysis: RedisAnalysis): Map<TSESTree.Node, TSESLint.Scope.Reference> {
  const index = new Map<TSESTree.Node, TSESLint.Scope.Reference>();
  for (const scope of analysis.sourceCode.scopeManager?.scopes ?? []) {
    for (const reference of scope.references) index.set(reference.identifier, reference);
  }
  return index;
}

/**
 * Why code that moves to module level would read something that depends on the call: a
 * parameter or local of an enclosing function, `this`, `arguments`, an `await`, a call whose
 * result may change, or a module variable that is assigned later. Undefined when it reads only
 * constants, imports, module-level bindings and globals.
 */
function callDependency(analysis: RedisAnalysis, roots: Array<TSESTree.CallExpression | TSESTree.NewExpression>): string | undefined {
  const references = referenceIndex(analysis);
  let found: string | undefined;
  for (const root of roots) {
    for (const part of root.arguments) {
      walk(part, (node) => {
        if (found) return false;
        // Code inside a function in the options (a retryStrategy) runs later; only what it reads matters.
        const inFunction = functionWithin(node, part);
        switch (node.type) {
          case AST_NODE_TYPES.ThisExpression:
            found = `its options read \`this\` (line ${lineOf(node)})`;
            return false;
          case AST_NODE_TYPES.AwaitExpression:
          case AST_NODE_TYPES.YieldExpression:
            if (!inFunction) found = `its options wait for a value (line ${lineOf(node)})`;
            return !found;
          case AST_NODE_TYPES.CallExpression:
          case AST_NODE_TYPES.NewExpression:
          case AST_NODE_TYPES.TaggedTemplateExpression:
            if (!inFunction && !isPureCall(node, analysis)) found = `its options are computed by a call at line ${lineOf(node)}, whose result may differ from call to call`;
            return !found;
          case AST_NODE_TYPES.Identifier: {
            const reference = references.get(node);
            if (!reference || (reference as { isTypeReference?: boolean }).isTypeReference) return;
            if (node.name === 'arguments' && !reference.resolved) {
              found = `its options read \`arguments\` (line ${lineOf(node)})`;
              return false;
            }
            const variable = reference.resolved;
            if (!variable) return;
            const scopeType = variable.scope.type;
            if (scopeType === 'module' || scopeType === 'global') {
              const kind = variable.defs[0]?.parent?.type === AST_NODE_TYPES.VariableDeclaration ? (variable.defs[0]!.parent as TSESTree.VariableDeclaration).kind : undefined;
              if ((kind === 'let' || kind === 'var') && variable.references.some((other) => other.isWrite() && !other.init)) {
                found = `its options read \`${node.name}\`, which is assigned after the module loads`;
              }
              return;
            }
            // Bindings of a function written inside the options (its parameters) are its own.
            if (inFunction && within(variable.scope.block as TSESTree.Node, part)) return;
            const isParameter = variable.defs[0]?.type === 'Parameter';
            found = `its options depend on the call: \`${node.name}\` (line ${lineOf(node)}) is ${isParameter ? 'a parameter' : 'a local'} of the function`;
            return false;
          }
          default:
            return;
        }
      });
      if (found) return found;
    }
  }
  return found;
}

/** The innermost function around `node` that is inside `part` (`node` itself excluded). */
function functionWithin(node: TSESTree.Node, part: TSESTree.Node): FunctionNode | undefined {
  for (let current = node.parent; current && within(current, part); current = current.parent) {
    if (isFunctionNode(current)) return current;
    if (current === part) break;
  }
  return undefined;
}

/** `Number(x)`, `Math.min(a, b)`, `JSON.stringify(o)`: a global whose result depends only on its arguments. */
function isPureCall(node: TSESTree.CallExpression | TSESTree.NewExpression | TSESTree.TaggedTemplateExpression, analysis: RedisAnalysis): boolean {
  if (node.type !== AST_NODE_TYPES.CallExpression) return false;
  const callee = unwrapExpression(node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression) return isGlobal(callee, PURE_GLOBAL_CALLS, analysis.sourceCode);
  if (callee.computed || callee.property.type !== AST_NODE_TYPES.Identifier || callee.property.name === 'random' || callee.property.name === 'now') return false;
  return callee.object.type === AST_NODE_TYPES.Identifier && isGlobal(callee.object, PURE_GLOBAL_OBJECTS, analysis.sourceCode);
}

/** The variable a function is bound to: its declaration's name, or `const f = () => …`. */
function functionVariable(fn: FunctionNode, analysis: RedisAnalysis): Variable | undefined {
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) return findVariableFor(analysis.sourceCode, fn.id);
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.VariableDeclarator && parent.init === fn && parent.id.type === AST_NODE_TYPES.Identifier) return findVariableFor(analysis.sourceCode, parent.id);
  return undefined;
}

/** A call of the function, outside any function: it runs while the module loads. */
function topLevelCall(identifier: TSESTree.Node): TSESTree.CallExpression | undefined {
  const call = identifier.parent;
  if (call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== identifier) return undefined;
  return enclosingFunction(call) ? undefined : call;
}

/**
 * A function a script runs once (`main()` at the top level, an IIFE): its per-call client was
 * the only one, and a module-level client that is never closed would keep the process alive.
 */
function calledOnce(fn: FunctionNode, analysis: RedisAnalysis): string | undefined {
  const parent = fn.parent;
  if (parent?.type === AST_NODE_TYPES.CallExpression && parent.callee === fn) {
    return `the function runs once, where it is written (line ${lineOf(parent)}); a client that is never closed would keep the process alive`;
  }
  const variable = functionVariable(fn, analysis);
  const references = variable?.references.filter((reference) => !reference.init) ?? [];
  if (references.length === 0) return undefined;
  if (references.every((reference) => topLevelCall(reference.identifier))) {
    return `the function is only called at the top level (line ${lineOf(references[0]!.identifier)}), as a script's entry point; a client that is never closed would keep the process alive`;
  }
  return undefined;
}

/** A call of the function made by module code before `offset`. */
function runsWhileLoading(fn: FunctionNode, offset: number, analysis: RedisAnalysis): TSESTree.Node | undefined {
  const variable = functionVariable(fn, analysis);
  return variable?.references.map((reference) => reference.identifier).find((identifier) => identifier.range[0] < offset && topLevelCall(identifier));
}

/** What identifies a client made the same way, so functions share one: the creation and its chained calls, not its listeners. */
function creationKey(text: string, value: Site['value'], segments: readonly ChainSegment[]): string {
  const kept = segments.filter((segment) => value.library.values[value.kind]?.methods[segment.method]?.type !== 'listener');
  const code = [text.slice(value.call.range[0], value.call.range[1]), ...kept.map((segment) => segment.text)].join('');
  return code.replace(/\s+/g, ' ').replace(/\s*([(),{}[\]:;])\s*/g, '$1').trim();
}

/** A module-level `const x = <the same creation>` already there (an earlier rewrite's): reused. */
function existingModuleClient(analysis: RedisAnalysis, site: Site, kept: ChainSegment[]): { name: string; statement: TSESTree.Node; hasErrorListener: boolean } | undefined {
  const text = analysis.sourceCode.text;
  const wanted = creationKey(text, site.value, kept);
  for (const statement of analysis.sourceCode.ast.body) {
    const declaration = statement.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.declaration : statement;
    if (declaration?.type !== AST_NODE_TYPES.VariableDeclaration || declaration.kind !== 'const' || declaration.declarations.length !== 1) continue;
    const declarator = declaration.declarations[0]!;
    if (declarator.id.type !== AST_NODE_TYPES.Identifier || !declarator.init) continue;
    const value = analysis.origins.valueOrPromised(declarator.init);
    if (!value?.call || value.library !== site.value.library || value.kind !== site.value.kind) continue;
    const chain = chainAfter(declarator.init, value.call, text);
    if (!chain || chain.awaited) continue;
    if (creationKey(text, value as Site['value'], chain.segments) !== wanted) continue;
    const variable = findVariableFor(analysis.sourceCode, declarator.id);
    const hasErrorListener =
      chain.segments.some((segment) => value.library.values[value.kind]?.methods[segment.method]?.type === 'listener') ||
      (variable?.references ?? []).some((reference) => {
        const called = methodCallOn(reference.identifier);
        return called?.method !== undefined && value.library.values[value.kind]?.methods[called.method]?.type === 'listener' && analysis.evaluator.string(called.call.arguments[0]) === 'error';
      });
    return { name: declarator.id.name, statement, hasErrorListener };
  }
  return undefined;
}

/** The local's own name when it is free at module level, else `<name>Shared`. */
function moduleName(analysis: RedisAnalysis, site: Site): string | undefined {
  const local = site.variable.name;
  if (isFreeAtModuleLevel(analysis, local) && !shadowedAbove(site, local)) return local;
  const fallback = `${local}Shared`;
  return identifierNames(analysis.sourceCode.ast).has(fallback) ? undefined : fallback;
}

function isFreeAtModuleLevel(analysis: RedisAnalysis, name: string): boolean {
  const scope = moduleScopeOf(analysis.sourceCode);
  const global = analysis.sourceCode.scopeManager?.globalScope;
  if (!scope || !global) return false;
  if (scope.set.has(name) || global.set.get(name)?.defs.length) return false;
  return !global.through.some((reference) => reference.identifier.name === name);
}

/** A binding of that name between the site's block and the module, which would capture the references. */
function shadowedAbove(site: Site, name: string): boolean {
  for (let scope: TSESLint.Scope.Scope | null = site.variable.scope.upper; scope && scope.type !== 'module' && scope.type !== 'global'; scope = scope.upper) {
    if (scope.set.has(name)) return true;
  }
  return false;
}

/** Every reference, once the local declaration is gone, would find the module-level `name`. */
function resolvesToModule(analysis: RedisAnalysis, name: string, variable: Variable): boolean {
  return variable.references.every((reference) => {
    for (let scope: TSESLint.Scope.Scope | null = analysis.sourceCode.getScope(reference.identifier); scope && scope.type !== 'module' && scope.type !== 'global'; scope = scope.upper) {
      const found = scope.set.get(name);
      if (found && found !== variable) return false;
    }
    return true;
  });
}

/**
 * Drops a `finally` that only closed the client: `try { … } catch { … }` keeps its catch; a
 * bare `try { … }` gives way to its body, one level less indented. The edits already planned
 * inside the body are folded into the new text. A string is why it can't be done.
 */
function unwrapTry(analysis: RedisAnalysis, tryStatement: TSESTree.TryStatement, edits: TextEdit[], comments: readonly TSESTree.Comment[]): string | undefined {
  const text = analysis.sourceCode.text;
  if (tryStatement.handler) {
    edits.push({ start: tryStatement.handler.range[1], end: tryStatement.finalizer!.range[1], text: '' });
    return undefined;
  }
  const block = tryStatement.block;
  // Declarations in the try block would land in the enclosing block: a clash there is a syntax error.
  const outer = analysis.sourceCode.getScope(tryStatement);
  for (const statement of block.body) {
    for (const name of declaredNames(statement)) {
      if (outer.set.has(name)) return `unwrapping its try block would declare \`${name}\` twice; share it by hand`;
    }
  }
  const body = block.body;
  const first = body[0];
  const from = first ? (startsLine(text, first.range[0]) ? lineStartOf(text, leadingCommentStart(text, comments, first.range[0])) : first.range[0]) : block.range[0] + 1;
  const to = block.range[1] - 1;
  const inner = edits.filter((edit) => edit.start >= from && edit.end <= to);
  const outside = edits.filter((edit) => !inner.includes(edit));
  // One unit less on every line of the body, except inside template literals (their text is their value).
  const unit = indentUnitOf(text, block);
  const templates = templateRanges(block);
  const dedent: TextEdit[] = [];
  for (let offset = from; offset < to; ) {
    const covered = inner.some((edit) => edit.start <= offset && offset < edit.end) || templates.some(([start, end]) => offset > start && offset < end);
    if (!covered && text.startsWith(unit, offset)) dedent.push({ start: offset, end: offset + unit.length, text: '' });
    const lineEnd = text.indexOf('\n', offset);
    if (lineEnd < 0 || lineEnd >= to) break;
    offset = lineEnd + 1;
  }
  const moved = applyEdits(text, [...inner, ...dedent], from, to).replace(/\s+$/, '').replace(/^[ \t]*/, '');
  edits.length = 0;
  edits.push(...outside);
  if (moved === '') {
    const span = removalSpan(text, comments, tryStatement.range[0], tryStatement.range[1]);
    edits.push({ start: span.start, end: span.end, text: '' });
  } else {
    edits.push({ start: tryStatement.range[0], end: tryStatement.range[1], text: moved });
  }
  return undefined;
}

function declaredNames(statement: TSESTree.Statement): string[] {
  if (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind !== 'var') {
    const names: string[] = [];
    for (const declarator of statement.declarations) walk(declarator.id, (node) => void (node.type === AST_NODE_TYPES.Identifier && names.push(node.name)));
    return names;
  }
  if ((statement.type === AST_NODE_TYPES.ClassDeclaration || statement.type === AST_NODE_TYPES.FunctionDeclaration) && statement.id) return [statement.id.name];
  return [];
}

/**
 * Where the module-level client goes: before the top-level statement that holds the function,
 * or after the last module-level declaration its creation reads when that comes later.
 */
function insertionPoint(analysis: RedisAnalysis, site: Site, reads: TSESTree.Node[]): { at: number; after: boolean } {
  const text = analysis.sourceCode.text;
  const comments = analysis.sourceCode.getAllComments();
  let at = lineStartOf(text, leadingCommentStart(text, comments, topLevelStatement(site.fn).range[0]));
  let after = false;
  const references = referenceIndex(analysis);
  for (const root of reads) {
    walk(root, (node) => {
      if (node.type !== AST_NODE_TYPES.Identifier) return;
      const variable = references.get(node)?.resolved;
      const def = variable?.defs[0];
      if (!variable || !def || (variable.scope.type !== 'module' && variable.scope.type !== 'global')) return;
      // Imports and function declarations are there before any module code runs.
      if (def.type === 'ImportBinding' || def.type === 'FunctionName') return;
      let statement: TSESTree.Node = def.parent ?? def.node;
      if (statement.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration) statement = statement.parent;
      if (statement.range[1] > at) {
        at = nextLineStart(text, endWithTrailingComment(text, comments, statement.range[1]).end);
        after = true;
      }
    });
  }
  return { at, after };
}

function renamedText(text: string, statement: TSESTree.Node, references: TSESTree.Identifier[], name: string): string {
  const renames = references.filter((identifier) => within(identifier, statement)).map((identifier) => ({ start: identifier.range[0], end: identifier.range[1], text: name }));
  return applyEdits(text, renames, statement.range[0], statement.range[1]);
}

/** The module-level declaration, and the 'error' listeners that move with it. */
function moduleDeclaration(text: string, site: Site, kept: ChainSegment[], listeners: TSESTree.Node[], name: string, newline: string, where: { at: number; after: boolean }): TextEdit {
  const declarationIndent = indentationAt(text, site.declaration.range[0]);
  const reindent = (code: string) =>
    code
      .split('\n')
      .map((line, index) => (index > 0 && line.startsWith(declarationIndent) ? line.slice(declarationIndent.length) : line))
      .join('\n');
  const call = site.value.call;
  const chainBreak = chainBreakOf(text, site.declaration).replace(declarationIndent, '');
  const lines = [`const ${name} = ${reindent(text.slice(call.range[0], call.range[1]))}${kept.map((segment) => `${chainBreak}${segment.text}`).join('')}${semicolonAfter(text, site.declaration)}`];
  const references = site.variable.references.map((reference) => reference.identifier as TSESTree.Identifier);
  for (const statement of listeners) lines.push(reindent(renamedText(text, statement, references, name)));
  const block = lines.join(newline);
  return { start: where.at, end: where.at, text: where.after ? `${newline}${block}${newline}` : `${block}${newline}${newline}` };
}
