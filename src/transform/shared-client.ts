/**
 * The `shared-client` rewrite: a function that makes a client and closes it on every call gets
 * one module-level client it reuses (the runbook's "use the high-level client").
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
 * The creation (and its 'error' listeners) moves to module level under the same name, the
 * per-call closing goes away with the `finally` that only held it. Clients made unconnected
 * (node-redis) are opened on first use with the catalog's open-state check; ioredis connects
 * itself. Functions whose client depends on the call (parameters, locals, `this`, a call whose
 * result may change), that hand the client on, use it for blocking or subscriber work, or change
 * its connection state (WATCH, SELECT, CLIENT …) are left alone and reported; so are functions
 * a script calls once, whose process a never-closed client would keep alive.
 */
import { changesConnectionState, OPEN_STATE } from '../catalog/connection-state';
import { isCall, isFunction, isMember, staticName, unwrap, walk, walkOwn, type Node } from './ast';
import { CommandClassifier } from './commands';
import { StaticEvaluator } from './evaluate';
import type { FileContext } from './file-context';
import type { Session } from './session';
import { chainAfter, type ChainSegment } from './sharing';
import { findSites, releaseStatementCall, usesOf, type Site } from './sites';
import { applyEdits, commentsOf, endWithTrailingComment, indentationAt, indentUnitOf, leadingCommentStart, lineStartOf, newlineOf, removalSpan, startsLine, type TextEdit } from './text';
import { clientOptionsOf, creationOf } from './timeouts';

type Plan = { kind: 'none' } | { kind: 'skip'; reason: string } | { kind: 'rewrite'; edits: TextEdit[]; name: string; key: string; created: boolean };

/** Handed-on uses: the function does not own the client alone. */
const TRANSFERS: Record<string, string> = {
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

export function sharedClient(session: Session): void {
  // Module-level clients this run made, by what they are made from, so functions that make the
  // same client share one.
  const created = new Map<string, string>();
  const visited = new Set<string>();
  for (;;) {
    const site = findSites(session.context)
      .filter((candidate) => candidate.kind === 'connection' && !visited.has(siteKey(session, candidate)))
      .sort((a, b) => a.declaration.start - b.declaration.start)[0];
    if (!site) return;
    visited.add(siteKey(session, site));
    const plan = planSharedClient(session, site, created);
    if (plan.kind === 'skip') session.skipped(site.declaration, plan.reason);
    if (plan.kind !== 'rewrite') continue;
    session.rewritten(
      site.declaration,
      plan.created ? `the client is made once at module level as \`${plan.name}\` and reused` : `reuses the module-level \`${plan.name}\` made for an identical client`,
    );
    session.apply(plan.edits);
    created.set(plan.key, plan.name);
  }
}

function siteKey(session: Session, site: Site): string {
  return `${session.lineOf(site.declaration)}:${site.column}`;
}

export function planSharedClient(session: Session, site: Site, created: ReadonlyMap<string, string>): Plan {
  const context = session.context;
  const text = session.text;
  const value = site.value;
  const call = value.call;
  if (!call || (value.how !== 'factory' && value.how !== 'constructor') || value.home !== context) return { kind: 'none' };
  const lineOf = (node: Node) => session.lineOf(node);
  const uses = usesOf(context, site);
  const releases = uses.filter((use) => use.kind === 'release');
  // Only a client the function makes and closes itself is a per-call connection to replace.
  if (releases.length === 0) return { kind: 'none' };
  const reassigned = uses.find((use) => use.kind === 'reassigned' || use.kind === 'aliased');
  if (reassigned) return { kind: 'skip', reason: `it is ${reassigned.kind === 'aliased' ? 'copied to another variable' : 'assigned again'} at line ${lineOf(reassigned.reference)}` };
  const transfer = uses.find((use) => TRANSFERS[use.kind]);
  if (transfer) return { kind: 'skip', reason: `it is ${TRANSFERS[transfer.kind]} at line ${lineOf(transfer.reference)}, so the function does not own it alone` };
  const lateRelease = releases.find((use) => use.inClosure);
  if (lateRelease) return { kind: 'skip', reason: `it is closed in a callback at line ${lineOf(lateRelease.reference)}` };
  const target = context.origins.resolve(unwrap(call).callee);
  if (target?.type === 'export' && target.spec.type === 'factory' && target.spec.async) {
    return { kind: 'skip', reason: `${value.library.displayName} makes clients asynchronously; a module-level one needs an awaited creation, made by hand` };
  }

  const evaluator = new StaticEvaluator(context);
  const commands = new CommandClassifier(context, evaluator);
  const methods = value.library.values[value.kind]?.methods ?? {};
  const opensWith = value.library.values[value.kind]?.opensWith;
  const listeners: Node[] = [];
  const listenerCalls: Node[] = [];
  const connects: Node[] = [];
  for (const use of uses) {
    if (use.kind !== 'method-call' || !use.call || use.method === undefined) continue;
    const command = commands.classifyOn(value, use.method, use.call);
    const at = `at line ${lineOf(use.call)}`;
    if (!command) return { kind: 'skip', reason: `\`${use.method}()\` ${at} is not a command this codemod knows to be safe on a shared client` };
    if (command.type === 'blocking' && !command.isolated) {
      return { kind: 'skip', reason: `it runs ${command.command} ${at}: a connection made for a blocking read must stay its own` };
    }
    if (command.type === 'takeover') return { kind: 'skip', reason: `it runs ${command.command} ${at}: a subscriber or monitor connection must stay its own` };
    if (command.type === 'command' && changesConnectionState(command.command)) {
      return { kind: 'skip', reason: `it runs ${command.command} ${at}, which changes the state of its connection for every later command` };
    }
    if (command.type !== 'lifecycle') continue;
    const spec = methods[use.method];
    if (spec?.type === 'listener') {
      const event = use.call.arguments[0] ? evaluator.string(use.call.arguments[0]) : undefined;
      if (event !== 'error') return { kind: 'skip', reason: `it listens for '${event ?? 'an unknown event'}' ${at}, which a shared client would deliver to every caller's handler` };
      const statement = wholeStatement(context, use.call);
      if (!statement || use.inClosure) return { kind: 'skip', reason: `its 'error' listener ${at} is not a statement of the function` };
      listeners.push(statement);
      listenerCalls.push(use.call);
    } else if (spec?.type === 'self' && use.method === opensWith) {
      const statement = wholeStatement(context, use.call);
      if (!statement || use.inClosure) return { kind: 'skip', reason: `it is connected inside an expression ${at}` };
      connects.push(statement);
    } else if (spec?.type === 'self' && spec.async) {
      // ioredis `connect()` (with lazyConnect) rejects on a client that is already connecting.
      return { kind: 'skip', reason: `it connects explicitly ${at} (lazyConnect); a shared client connects once: remove the connect call by hand` };
    } else if (spec?.type === 'produces') {
      return { kind: 'skip', reason: `\`${use.method}()\` ${at} makes another connection from it` };
    }
  }

  const chain = chainAfter(site.declarator.init, call, text);
  if (!chain) return { kind: 'skip', reason: 'its declaration does more than make the client' };
  const kept: ChainSegment[] = [];
  let chainConnects = false;
  for (const segment of chain.segments) {
    const spec = methods[segment.method];
    if (spec?.type === 'self' && segment.method === opensWith) chainConnects = true;
    else if (spec?.type === 'self' || spec?.type === 'listener') kept.push(segment);
    else return { kind: 'skip', reason: `its declaration chains \`${segment.method}()\`, which the codemod does not move` };
  }

  // What the module-level creation would read must not depend on the call.
  const dependency = callDependency(context, [call, ...chainCalls(site.declarator.init, call), ...listenerCalls], lineOf);
  if (dependency) return { kind: 'skip', reason: dependency };

  const openState = OPEN_STATE[value.library.id];
  if (opensWith) {
    if (!chainConnects && connects.length === 0) return { kind: 'skip', reason: `it is never connected here; a module-level ${value.library.displayName} client needs ${opensWith}()` };
    if (!openState || !openState.kinds.includes(value.kind)) {
      return { kind: 'skip', reason: `a ${value.library.displayName} ${value.kind} can't be opened on first use safely (a second caller could not wait for it); share it by hand` };
    }
    const creation = creationOf(value);
    const offline = creation ? clientOptionsOf(creation, evaluator).get(openState.offlineQueueDisabledBy) : { status: 'unknown' as const };
    if (offline.status === 'unknown' || (offline.status === 'present' && !(offline.value.kind === 'primitive' && !offline.value.value))) {
      const how = offline.status === 'unknown' ? 'may be set' : 'is set';
      return { kind: 'skip', reason: `${openState.offlineQueueDisabledBy.join('.')} ${how}: a second caller would fail while the shared client connects` };
    }
    if (!site.fn.async) return { kind: 'skip', reason: 'the function is not async, so it cannot wait for the shared client to connect' };
  }

  const once = calledOnce(context, site.fn, lineOf);
  if (once) return { kind: 'skip', reason: once };
  const where = insertionPoint(context, text, site, [call, ...chainCalls(site.declarator.init, call), ...listenerCalls]);
  const early = runsWhileLoading(context, site.fn, where.at);
  if (early) return { kind: 'skip', reason: `the function runs while the module loads (line ${lineOf(early)}), before a module-level client could be made` };

  // The release statements, and the `finally` blocks that hold nothing else.
  const releaseStatements = new Set<Node>();
  for (const use of releases) {
    const statement = releaseStatementOf(context, site, use.call!);
    if (!statement) return { kind: 'skip', reason: `it is closed inside an expression at line ${lineOf(use.call!)}` };
    releaseStatements.add(statement);
  }

  const key = creationKey(text, call, kept, listeners, site.binding.name);
  const existing = created.get(key);
  const name = existing ?? moduleName(context, site);
  if (!name) return { kind: 'skip', reason: `\`${site.binding.name}\` and \`${site.binding.name}Shared\` are taken at module level; share it by hand` };
  if (!resolvesToModule(context, name, context.scopes.referencesOf(site.binding).map((reference) => reference.identifier), site)) {
    return { kind: 'skip', reason: `\`${name}\` would be shadowed inside the function; share it by hand` };
  }

  const comments = commentsOf(context.root);
  const newline = newlineOf(text);
  const guard = openState && opensWith ? `if (!${name}.${openState.property}) await ${name}.${opensWith}();` : undefined;
  const edits: TextEdit[] = [];
  // Spans whose text goes away or is rewritten whole: references inside them need no rename.
  const replaced: Array<{ start: number; end: number }> = [];
  const remove = (statement: Node) => {
    const span = removalSpan(text, comments, statement.start, statement.end);
    edits.push({ start: span.start, end: span.end, text: '' });
    replaced.push(span);
  };
  const replace = (statement: Node, by: string) => {
    edits.push({ start: statement.start, end: statement.end, text: by });
    replaced.push({ start: statement.start, end: statement.end });
  };
  if (guard && chainConnects) replace(site.declaration, guard);
  else remove(site.declaration);
  for (const statement of connects) {
    if (guard) replace(statement, guard);
    else remove(statement);
  }
  for (const statement of listeners) remove(statement);

  const tries = finallyOnly(context, releaseStatements);
  // The finally blocks that only close the client go with their try.
  for (const tryStatement of tries.keys()) replaced.push({ start: tryStatement.finalizer.start, end: tryStatement.finalizer.end });
  for (const statement of releaseStatements) {
    if (![...tries.keys()].some((tryStatement) => context.index.isWithin(statement, tryStatement.finalizer))) remove(statement);
  }
  // The body keeps its references; they now name the module-level client (renamed if its name differs).
  if (name !== site.binding.name) {
    for (const reference of context.scopes.referencesOf(site.binding)) {
      const identifier = reference.identifier;
      if (replaced.some((span) => identifier.start >= span.start && identifier.end <= span.end)) continue;
      edits.push({ start: identifier.start, end: identifier.end, text: name });
    }
  }
  // Innermost first, so an outer try folds in the edits of the inner one.
  for (const tryStatement of [...tries.keys()].sort((a, b) => b.start - a.start)) {
    const unwrapped = unwrapTry(context, text, tryStatement, edits);
    if (unwrapped) return { kind: 'skip', reason: unwrapped };
  }
  if (!existing) edits.push(moduleDeclaration(context, text, site, call, kept, listeners, name, newline, where));
  return { kind: 'rewrite', edits, name, key, created: !existing };
}

/** The statement a call is the whole of: `c.on('error', h);`, `await c.connect();`. */
function wholeStatement(context: FileContext, call: Node): Node | undefined {
  let current = call;
  for (;;) {
    const slot = context.index.slotOf(current);
    if (!slot) return undefined;
    if (slot.parent.type === 'ExpressionStatement') return slot.parent;
    if (slot.parent.type === 'AwaitExpression' || (slot.parent.type === 'UnaryExpression' && slot.parent.operator === 'void') || slot.parent.type === 'ParenthesizedExpression') {
      current = slot.parent;
      continue;
    }
    return undefined;
  }
}

/** The statement that does nothing but close the client (perhaps guarded by `if (client)`). */
function releaseStatementOf(context: FileContext, site: Site, call: Node): Node | undefined {
  const statement = wholeStatement(context, call);
  if (!statement || releaseStatementCall(context, site, statement) !== call) return undefined;
  let guard = context.index.parentOf(statement);
  if (guard?.type === 'BlockStatement' && guard.body.length === 1) guard = context.index.parentOf(guard);
  return guard?.type === 'IfStatement' && releaseStatementCall(context, site, guard) === call ? guard : statement;
}

/** The calls chained after the creation (`.on('error', h)`), whose arguments move too. */
function chainCalls(init: Node, creation: Node): Node[] {
  const calls: Node[] = [];
  let current = unwrap(init);
  if (current.type === 'AwaitExpression') current = unwrap(current.argument);
  while (current !== creation && isCall(current)) {
    calls.push(current);
    current = unwrap(unwrap(current.callee).object);
  }
  return calls;
}

/**
 * Why code that moves to module level would read something that depends on the call: a
 * parameter or local of an enclosing function, `this`, `arguments`, an `await`, a call whose
 * result may change, or a module variable that is assigned later. Undefined when it reads only
 * constants, imports, module-level bindings and globals.
 */
function callDependency(context: FileContext, roots: Node[], lineOf: (node: Node) => number): string | undefined {
  let found: string | undefined;
  for (const root of roots) {
    const parts = isCall(root) || root.type === 'NewExpression' ? root.arguments : [root];
    for (const part of parts) {
      walk(part, (node, ownSlot) => {
        if (found) return false;
        const slot = ownSlot ?? context.index.slotOf(node);
        // Code inside a function in the options (a retryStrategy) runs later; only what it reads matters.
        const inFunction = isFunction(node) ? undefined : [...context.index.ancestors(node)].find((ancestor) => isFunction(ancestor) && context.index.isWithin(ancestor, part));
        switch (node.type) {
          case 'ThisExpression':
            found = `its options read \`this\` (line ${lineOf(node)})`;
            return false;
          case 'AwaitExpression':
          case 'YieldExpression':
            if (!inFunction) found = `its options wait for a value (line ${lineOf(node)})`;
            return !found;
          case 'CallExpression':
          case 'OptionalCallExpression':
          case 'NewExpression':
          case 'TaggedTemplateExpression':
            if (!inFunction && root !== node && !isPureCall(context, node)) {
              found = `its options are computed by a call at line ${lineOf(node)}, whose result may differ from call to call`;
            }
            return !found;
          case 'Identifier': {
            if (!slot || !isValueReference(slot)) return;
            if (node.name === 'arguments') {
              found = `its options read \`arguments\` (line ${lineOf(node)})`;
              return false;
            }
            const binding = context.scopes.resolve(node);
            if (!binding || binding.scope === context.program) {
              if (binding && (binding.kind === 'let' || binding.kind === 'var') && context.scopes.referencesOf(binding).some((reference) => reference.write)) {
                found = `its options read \`${node.name}\`, which is assigned after the module loads`;
              }
              return;
            }
            // Bindings of a function written inside the options (its parameters) are its own.
            if (inFunction && context.index.isWithin(binding.scope, part)) return;
            found = `its options depend on the call: \`${node.name}\` (line ${lineOf(node)}) is ${binding.kind === 'param' ? 'a parameter' : 'a local'} of the function`;
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

function isValueReference(slot: { parent: Node; key: string }): boolean {
  const { parent, key } = slot;
  if (isMember(parent) && key === 'property' && !parent.computed) return false;
  if ((parent.type === 'ObjectProperty' || parent.type === 'ObjectMethod') && key === 'key' && !parent.computed) return false;
  if (isFunction(parent) && key === 'params') return false;
  return true;
}

/** `Number(x)`, `Math.min(a, b)`, `JSON.stringify(o)`: a global whose result depends only on its arguments. */
function isPureCall(context: FileContext, node: Node): boolean {
  if (node.type === 'NewExpression' || node.type === 'TaggedTemplateExpression') return false;
  const callee = unwrap(node.callee);
  if (callee.type === 'Identifier') return PURE_GLOBAL_CALLS.has(callee.name) && !context.scopes.resolve(callee);
  if (isMember(callee) && callee.object.type === 'Identifier') {
    return PURE_GLOBAL_OBJECTS.has(callee.object.name) && !context.scopes.resolve(callee.object) && staticName(callee) !== 'random' && staticName(callee) !== 'now';
  }
  return false;
}

/**
 * A function a script runs once (`main()` at the top level, an IIFE): its per-call client was
 * the only one, and a module-level client that is never closed would keep the process alive.
 */
function calledOnce(context: FileContext, fn: Node, lineOf: (node: Node) => number): string | undefined {
  const slot = context.index.slotOf(fn);
  const parent = slot?.parent;
  if (parent && isCall(parent) && slot.key === 'callee') return `the function runs once, where it is written (line ${lineOf(parent)}); a client that is never closed would keep the process alive`;
  let binding;
  if (fn.type === 'FunctionDeclaration' && fn.id) binding = context.scopes.resolve(fn.id);
  else if (parent?.type === 'VariableDeclarator' && parent.id.type === 'Identifier') binding = context.scopes.resolve(parent.id);
  if (!binding) return undefined;
  const references = context.scopes.referencesOf(binding);
  if (references.length === 0) return undefined;
  const topLevelCall = (identifier: Node) => {
    const call = context.index.parentOf(identifier);
    if (!call || !isCall(call) || call.callee !== identifier) return undefined;
    return context.index.enclosingFunction(call) === undefined ? call : undefined;
  };
  if (references.every((reference) => topLevelCall(reference.identifier))) {
    return `the function is only called at the top level (line ${lineOf(references[0]!.identifier)}), as a script's entry point; a client that is never closed would keep the process alive`;
  }
  return undefined;
}

/** A call of the function made by module code (not inside a function) before `offset`. */
function runsWhileLoading(context: FileContext, fn: Node, offset: number): Node | undefined {
  const slot = context.index.slotOf(fn);
  let binding;
  if (fn.type === 'FunctionDeclaration' && fn.id) binding = context.scopes.resolve(fn.id);
  else if (slot?.parent.type === 'VariableDeclarator' && slot.parent.id.type === 'Identifier') binding = context.scopes.resolve(slot.parent.id);
  if (!binding) return undefined;
  return context.scopes
    .referencesOf(binding)
    .map((reference) => reference.identifier)
    .find((identifier) => {
      const call = context.index.parentOf(identifier);
      return identifier.start < offset && !!call && isCall(call) && call.callee === identifier && !context.index.enclosingFunction(identifier);
    });
}

/** What identifies a client made the same way, so two functions can share one. */
function creationKey(text: string, call: Node, kept: ChainSegment[], listeners: Node[], local: string): string {
  const normalise = (value: string) => value.replace(/\s+/g, ' ').trim();
  const listenerTexts = listeners.map((statement) => normalise(text.slice(statement.start, statement.end)).replace(new RegExp(`^${local}\\b`), '<client>'));
  return [normalise(text.slice(call.start, call.end)), ...kept.map((segment) => normalise(segment.text)), ...listenerTexts].join('\n');
}

/** The local's own name when it is free at module level, else `<name>Shared`. */
function moduleName(context: FileContext, site: Site): string | undefined {
  const names = new Set<string>();
  walk(context.program, (node) => {
    if (node.type === 'Identifier') names.add(node.name);
  });
  const local = site.binding.name;
  const free = (name: string) => !context.scopes.declaredIn(context.program, name) && !hasGlobalReference(context, name);
  if (free(local) && !shadowedAbove(context, site, local)) return local;
  const fallback = `${local}Shared`;
  return !names.has(fallback) ? fallback : undefined;
}

function hasGlobalReference(context: FileContext, name: string): boolean {
  let found = false;
  walk(context.program, (node, slot) => {
    if (found) return false;
    if (node.type === 'Identifier' && node.name === name && slot && isValueReference(slot) && !context.scopes.resolve(node)) found = true;
    return !found;
  });
  return found;
}

/** A binding of that name between the site's block and the module, which would capture the references. */
function shadowedAbove(context: FileContext, site: Site, name: string): boolean {
  for (const ancestor of context.index.ancestors(site.declaration)) {
    if (ancestor === site.owner || ancestor === context.program) continue;
    const binding = context.scopes.declaredIn(ancestor, name);
    if (binding && binding !== site.binding) return true;
  }
  return false;
}

/** Every reference, once the local declaration is gone, would find the module-level `name`. */
function resolvesToModule(context: FileContext, name: string, references: Node[], site: Site): boolean {
  return references.every((reference) => {
    for (const ancestor of context.index.ancestors(reference)) {
      if (ancestor === context.program) return true;
      const binding = context.scopes.declaredIn(ancestor, name);
      if (binding && binding !== site.binding) return false;
    }
    return true;
  });
}

/** `try` statements whose `finally` holds nothing but releases that go away. */
function finallyOnly(context: FileContext, releases: Set<Node>): Map<Node, true> {
  const tries = new Map<Node, true>();
  for (const statement of releases) {
    const block = context.index.parentOf(statement);
    const tryStatement = block ? context.index.parentOf(block) : undefined;
    if (!block || tryStatement?.type !== 'TryStatement' || tryStatement.finalizer !== block) continue;
    if (block.body.every((candidate: Node) => releases.has(candidate)) && !block.innerComments?.length && !hasComments(context, block)) tries.set(tryStatement, true);
  }
  return tries;
}

function hasComments(context: FileContext, block: Node): boolean {
  return commentsOf(context.root).some((comment) => comment.start > block.start && comment.end < block.end);
}

/**
 * Drops a `finally` that only closed the client: `try { … } catch { … }` keeps its catch; a
 * bare `try { … }` gives way to its body, one level less indented. The edits already planned
 * inside the body are folded into the new text. A string is why it can't be done.
 */
function unwrapTry(context: FileContext, text: string, tryStatement: Node, edits: TextEdit[]): string | undefined {
  if (tryStatement.handler) {
    edits.push({ start: tryStatement.handler.end, end: tryStatement.finalizer.end, text: '' });
    return undefined;
  }
  const block = tryStatement.block;
  const owner = context.index.parentOf(tryStatement);
  // Declarations in the try block would land in the enclosing block: a clash there is a syntax error.
  for (const statement of block.body as Node[]) {
    for (const name of declaredNames(statement)) {
      const outer = owner && context.scopes.declaredIn(owner, name);
      if (outer && !context.index.isWithin(outer.identifier, block)) return `unwrapping its try block would declare \`${name}\` twice; share it by hand`;
    }
  }
  const comments = commentsOf(context.root);
  const body: Node[] = block.body;
  const first = body[0];
  const from = first ? (startsLine(text, first.start) ? lineStartOf(text, leadingCommentStart(text, comments, first.start)) : first.start) : block.start + 1;
  const to = block.end - 1;
  const inner = edits.filter((edit) => edit.start >= from && edit.end <= to);
  const outside = edits.filter((edit) => !inner.includes(edit));
  // One unit less on every line of the body, except inside template literals (their text is their value).
  const unit = indentUnitOf(text, block);
  const templates: Array<[number, number]> = [];
  walk(block, (node) => void (node.type === 'TemplateLiteral' && templates.push([node.start, node.end])));
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
    const span = removalSpan(text, comments, tryStatement.start, tryStatement.end);
    edits.push({ start: span.start, end: span.end, text: '' });
  } else {
    edits.push({ start: tryStatement.start, end: tryStatement.end, text: moved });
  }
  return undefined;
}

function declaredNames(statement: Node): string[] {
  if (statement.type === 'VariableDeclaration' && statement.kind !== 'var') {
    const names: string[] = [];
    for (const declarator of statement.declarations) walk(declarator.id, (node) => void (node.type === 'Identifier' && names.push(node.name)));
    return names;
  }
  if ((statement.type === 'ClassDeclaration' || statement.type === 'FunctionDeclaration') && statement.id) return [statement.id.name];
  return [];
}

/**
 * Where the module-level client goes: before the top-level statement that holds the function,
 * or after the last module-level declaration its creation reads when that comes later.
 */
function insertionPoint(context: FileContext, text: string, site: Site, reads: Node[]): { at: number; after: boolean } {
  let top: Node = site.fn;
  for (const ancestor of context.index.ancestors(site.fn)) {
    if (ancestor === context.program) break;
    top = ancestor;
  }
  const comments = commentsOf(context.root);
  let at = lineStartOf(text, leadingCommentStart(text, comments, top.start));
  let after = false;
  for (const root of reads) {
    walkOwn(root, (node, ownSlot) => {
      const slot = ownSlot ?? context.index.slotOf(node);
      if (node.type !== 'Identifier' || !slot || !isValueReference(slot)) return;
      const binding = context.scopes.resolve(node);
      // Imports and function declarations are there before any module code runs.
      if (!binding || binding.scope !== context.program || binding.kind === 'import' || binding.kind === 'function') return;
      let statement = binding.declaration;
      const owner = context.index.parentOf(statement);
      if (owner?.type === 'ExportNamedDeclaration') statement = owner;
      if (statement.end > at) {
        const end = endWithTrailingComment(text, comments, statement.end).end;
        const lineEnd = text.indexOf('\n', end);
        at = lineEnd < 0 ? text.length : lineEnd + 1;
        after = true;
      }
    });
  }
  return { at, after };
}

/** The module-level declaration, and the 'error' listeners that move with it. */
function moduleDeclaration(context: FileContext, text: string, site: Site, call: Node, kept: ChainSegment[], listeners: Node[], name: string, newline: string, where: { at: number; after: boolean }): TextEdit {
  const declarationIndent = indentationAt(text, site.declaration.start);
  const reindent = (code: string) => code.split('\n').map((line, index) => (index > 0 && line.startsWith(declarationIndent) ? line.slice(declarationIndent.length) : line)).join('\n');
  const lines = [`const ${name} = ${reindent(text.slice(call.start, call.end))}${kept.map((segment) => segment.text).join('')};`];
  const references = context.scopes.referencesOf(site.binding).map((reference) => reference.identifier);
  for (const statement of listeners) {
    const renames = references
      .filter((identifier) => context.index.isWithin(identifier, statement))
      .map((identifier) => ({ start: identifier.start, end: identifier.end, text: name }));
    lines.push(reindent(applyEdits(text, renames, statement.start, statement.end)));
  }
  const block = lines.join(newline);
  const textOut = where.after ? `${newline}${block}${newline}` : `${block}${newline}${newline}`;
  return { start: where.at, end: where.at, text: textOut };
}
