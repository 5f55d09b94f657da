/**
 * The dedicated-connection plan: a blocking command on a module-level client that serves other
 * work moves onto a duplicate of that client, made for it. The rule `no-blocking-on-shared-client`
 * offers it as a suggestion and records it; the `dedicated-blocking-client` codemod applies it.
 *
 *     export const redis = new Redis();            export const redis = new Redis();
 *     redis.on('error', onError);                  export const redisBlocking = redis.duplicate({ commandTimeout: 11000 });
 *     …                                     →      redis.on('error', onError);
 *     await redis.blpop('jobs', 10);               redisBlocking.on('error', onError);
 *     …                                            …
 *     await redis.quit();                          await redisBlocking.blpop('jobs', 10);
 *                                                  …
 *                                                  await redis.quit();
 *                                                  await redisBlocking.quit();
 *
 * A duplicate that is already there is reused. Each finding gets the whole plan; the codemod's
 * passes apply one, then the others find the duplicate and only move their call. The rest:
 * docs/codemods/dedicated-blocking-client.md.
 */
import * as path from 'node:path';
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import type { TimeoutOptionSpec } from '../../catalog';
import { AST_NODE_TYPES, isFunctionNode, lineOf, methodCall, methodCallOn, requireSpecifier, skipWrappersUp, within, staticPropertyName, unwrapExpression, walk } from '../ast';
import type { RedisAnalysis } from '../context';
import { getModuleView } from '../modules';
import { clientOptionsOf, resolveTimeout, type ResolvedTimeout } from '../options';
import type { RedisValue } from '../origin';
import { findVariableFor, importOf, writesOf, type Variable } from '../scope';
import { closeOnShutdown } from './shutdown';
import { isLocalModule, type BlockingCommandCall, type Connection, type SharingFinding } from '../sharing';
import { analysisRule, analyzeFile, UnparsableFileError } from '../standalone';
import { waitMsOf } from '../timeout-needs';
import { sourceOf, type AnyRule, type Elsewhere, type FixPlan, type RewritePlan } from '../plans';
import { BLOCKING_MARGIN_MS, explicitBound } from '../timeouts';
import { escapeRegExp } from '../relevance';
import { isExported, isModuleExports } from '../uses';
import { appliesToMajor } from '../versions';
import { applyEdits, chainBreakOf, endWithTrailingComment, indentationAt, lineStartOf, newlineOf, semicolonAfter, statementAfter, type TextEdit } from './text';
import { displayWidth, overflows, widthOfAnalysed } from './layout';
import { brokenList, listOnly } from './option-edits';
import { addImportedNameEdit, closesReceiver, identifierNames, moduleScopeOf, topLevelStatement } from './nodes';

export const DEDICATED_CONNECTION = 'dedicated-connection';

export type DedicatedConnectionPlan =
  | { type: 'rewrite'; name: string; edits: TextEdit[]; elsewhere?: Elsewhere[]; note?: string }
  /** Said at the blocking call the rule reports. */
  | { type: 'skip'; reason: string };

const SUFFIXES = ['', '2', '3', '4', '5'];

/** The least commandTimeout a dedicated duplicate gets when one has to be written. */
const LEAST_COMMAND_TIMEOUT_MS = 5000;

type BlockingCall = Extract<BlockingCommandCall, { type: 'blocking' }>;
type BoundedTimeout = Extract<ResolvedTimeout, { state: 'bounded' }>;

/** The plan for one finding, or undefined when there is nothing this plan can do there (a field, a local). */
export function planDedicatedConnection(finding: SharingFinding, analysis: RedisAnalysis): DedicatedConnectionPlan | undefined {
  const { connection, use } = finding;
  const command = use.command;
  if (connection.role === 'client' && connection.scope === 'field') {
    return skip(`\`${connection.name}\` is a class field; give its blocking calls a field of their own made with \`${connection.name}.duplicate()\`, closed where \`${connection.name}\` is (onModuleDestroy, close()), by hand`);
  }
  if (connection.role !== 'client' || connection.scope !== 'module' || !connection.value) return undefined;
  const receiver = unwrapExpression(use.receiver);
  if (receiver.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, receiver);
  if (!variable || variable.scope.type === 'function' || variable.scope.type === 'block') return undefined;
  const declaration = connection.declaration;
  if (!declaration) {
    const writes = writesOf(variable);
    if (writes.length > 1 && writes.some((write) => write.node.type === AST_NODE_TYPES.VariableDeclarator)) {
      const again = writes.find((write) => write.node.type !== AST_NODE_TYPES.VariableDeclarator)!;
      return skip(`\`${receiver.name}\` is assigned again at line ${lineOf(again.node)}; a duplicate made beside its declaration could be of the wrong client`);
    }
    return undefined;
  }
  if (declaration.variable !== variable) return undefined;
  const name = declaration.declarator.id.name;
  if (command.type === 'takeover') {
    const mode = command.command === 'MONITOR' ? 'a monitor feed' : 'a subscriber';
    return skip(`${command.command} turns \`${name}\` into ${mode}; give it a connection of its own by hand`);
  }
  return new DedicatedPlanner(connection, connection.value, variable, name, analysis).plan(command, receiver);
}

function skip(reason: string): DedicatedConnectionPlan {
  return { type: 'skip', reason };
}

/** The timeouts of a connection that would end a blocking wait on it (catalog `cutsBlockingWait`), resolved. */
interface WaitBounds {
  timeouts: ResolvedTimeout[];
  /** A blocking-command timeout (ioredis `blockingTimeout`): how long a wait of 0 really lasts. */
  blockingMs?: number;
}

type Made = Extract<DedicatedConnectionPlan, { type: 'rewrite' }>;

const createdFor = new WeakMap<Connection, Made | string>();

class DedicatedPlanner {
  private readonly text: string;
  private readonly comments: TSESTree.Comment[];
  private readonly sourceCode: Readonly<TSESLint.SourceCode>;

  constructor(
    private readonly connection: Connection,
    private readonly value: RedisValue,
    private readonly variable: Variable,
    private readonly name: string,
    private readonly analysis: RedisAnalysis,
  ) {
    this.sourceCode = analysis.sourceCode;
    this.text = analysis.sourceCode.text;
    this.comments = analysis.sourceCode.getAllComments();
  }

  plan(command: BlockingCall, receiver: TSESTree.Identifier): DedicatedConnectionPlan {
    const existing = existingDuplicate(this.variable.scope, this.name, this.value, this.analysis);
    if (existing) {
      const cut = cutWait(waitBoundsOf(existing.value, this.analysis), [command], existing.name);
      if (cut) return skip(cut);
      return { type: 'rewrite', name: existing.name, edits: [...receiverEdits(this.analysis, command, receiver, existing.name), ...this.commentEdits(command, existing.name)] };
    }
    // The duplicate is the same for every blocking call of the client: planned once per client.
    let made = createdFor.get(this.connection);
    if (!made) createdFor.set(this.connection, (made = this.create(blockingCallsOf(this.connection))));
    if (typeof made === 'string') return skip(made);
    const edits = made.edits.map((edit) => ({ ...edit }));
    return { ...made, edits: [...edits, ...receiverEdits(this.analysis, command, receiver, made.name), ...this.commentEdits(command, made.name)] };
  }

  /** The duplicate, declared beside the client with its lifecycle calls, for waits as long as `moved`'s; or why not. */
  create(moved: BlockingCall[]): Made | string {
    const { value, name } = this;
    const library = value.library;
    if (library.values[value.kind]?.methods.duplicate?.type !== 'produces') {
      return `${library.displayName} has no duplicate(); make a second client for the blocking calls by hand`;
    }
    const dedicated = this.freeName(`${name}Blocking`);
    if (!dedicated) return `the names ${name}Blocking…${name}Blocking5 are all taken`;

    const declaration = this.connection.declaration!;
    const chain = chainAfter(declaration.declarator.init, value.creation, this.text);
    if (!chain) return `the declaration of \`${name}\` does more than make the client; make the dedicated client by hand`;
    const mirrors = this.mirrors(dedicated);
    if (typeof mirrors === 'string') return mirrors;
    const opensWith = library.values[value.kind]?.opensWith;
    if (opensWith && !chain.segments.some((segment) => segment.method === opensWith) && !mirrors.methods.has(opensWith)) {
      return `nothing in this file connects \`${name}\`, so a duplicate made here would never open; add one where \`${name}\` is connected`;
    }
    const override = this.override(moved);
    if (typeof override === 'string') return override;
    const exported = this.exportEdits(dedicated);
    if (typeof exported === 'string') return exported;
    if (!mirrors.closes) {
      // Where the module closes other things on shutdown, the duplicate is closed there too.
      const release = preferredRelease(value, this.analysis);
      const closing = release && closeOnShutdown(this.analysis, value, dedicated, release);
      if (!closing) {
        return `nothing in this file closes \`${name}\`, so a duplicate made here would never be closed; close \`${name}\` on shutdown first (or make the dedicated client by hand where \`${name}\` is closed)`;
      }
      mirrors.edits.push(closing);
    }

    const statement = declaration.statement;
    // The chain keeps the declaration's layout: on one line, or one `.method(…)` a line.
    const chainBreak = chainBreakOf(this.text, statement);
    const chained = chain.segments.map((segment) => `${chainBreak}${segment.text}`).join('');
    const declarationWith = (overrides: string) => `${exported.prefix}const ${dedicated} = ${chain.awaited ? 'await ' : ''}${name}.duplicate(${overrides})${chained}${semicolonAfter(this.text, statement)}`;
    let code = declarationWith(override.text);
    const entries = /^\{ (.*) \}$/.exec(override.text)?.[1]?.split(', ');
    // Past the file's line width, the overrides go one a line, as its formatter would write them.
    const firstLine = `${indentationAt(this.text, statement.range[0])}${code}`.split('\n')[0]!;
    if (entries && displayWidth(firstLine) > widthOfAnalysed(this.analysis)) code = declarationWith(brokenList('{', entries, '}', this.text, statement.range[0]));
    return { type: 'rewrite', name: dedicated, edits: [statementAfter(this.text, this.comments, statement, code), ...mirrors.edits, ...exported.edits] };
  }

  /** `base`, or `base2`… when an identifier of that name already appears in the file. */
  private freeName(base: string): string | undefined {
    const used = identifierNames(this.sourceCode.ast);
    return SUFFIXES.map((suffix) => `${base}${suffix}`).find((candidate) => !used.has(candidate));
  }

  /**
   * The overrides the duplicate needs so that no timeout it inherits cuts a wait it serves: each
   * cutting timeout raised above the longest wait (a command timeout to at least 5 s). A
   * duplicate merges its overrides into the client's options one top-level key deep, so a nested
   * option (node-redis `socket.socketTimeout`) can't be raised without dropping its siblings.
   * A string is why there is no safe duplicate.
   */
  override(moved: BlockingCall[]): { text: string } | string {
    const value = this.value;
    const { timeouts, blockingMs } = waitBoundsOf(value, this.analysis);
    const waits = moved.map((call) => waitMsOf(call.timeout.ms, blockingMs));
    const openIndex = waits.findIndex((ms) => ms === undefined || !Number.isFinite(ms));
    const longest = Math.max(0, ...waits.filter((ms): ms is number => ms !== undefined && Number.isFinite(ms)));
    if (timeouts.some((timeout) => timeout.state === 'unknown')) {
      return `the options of \`${this.name}\` can't be read, so what its duplicate would inherit is unknown; make the dedicated client by hand`;
    }
    const bounded = timeouts.filter((timeout): timeout is BoundedTimeout => timeout.state === 'bounded');
    if (openIndex >= 0) {
      if (bounded.length === 0) return { text: '' };
      const open = moved[openIndex]!;
      const wait = waits[openIndex] === Infinity ? 'waits forever (timeout 0)' : "waits for a time this file can't read";
      return `${open.command} at line ${lineOf(open.call)} ${wait}, and the duplicate would inherit ${bounded.map((t) => `${t.spec.path.join('.')} ${t.ms}`).join(' and ')}, which would reject it; give the call a finite timeout first`;
    }
    const needed = longest + BLOCKING_MARGIN_MS;
    // Every command-timeout option is written once the wait needs one (ioredis has none by default).
    const entries: string[] = [];
    for (const timeout of timeouts) {
      const raise = needsRaise(timeout, needed);
      if (raise === undefined) continue;
      if (timeout.spec.path.length !== 1) {
        const current = timeout.state === 'bounded' ? ` ${timeout.ms}` : '';
        return `a ${longest} ms wait outlasts ${timeout.spec.path.join('.')}${current}, which the duplicate would inherit, and its overrides would replace the whole \`${timeout.spec.path[0]}\` object; make the dedicated client by hand`;
      }
      entries.push(`${timeout.spec.path[0]}: ${raise}`);
    }
    if (entries.length === 0) return { text: '' };
    // A cluster takes its per-node overrides as `duplicate(startupNodes, { redisOptions })`.
    if (value.nodeOptionsKey) return `a cluster's duplicate needs its per-node timeouts raised (${entries.join(', ')}); make the dedicated client by hand`;
    return { text: `{ ${entries.join(', ')} }` };
  }

  /** Connect, 'error' listener and closing calls of the client, repeated for the duplicate. */
  private mirrors(dedicated: string): { edits: TextEdit[]; methods: Set<string>; closes: boolean } | string {
    const edits: TextEdit[] = [];
    const methods = new Set<string>();
    let closes = false;
    const spec = this.value.library.values[this.value.kind];
    for (const reference of this.variable.references) {
      const identifier = reference.identifier as TSESTree.Identifier;
      const called = reference.init ? undefined : methodCallOn(identifier);
      if (called?.method === undefined) continue;
      const { call } = called;
      const method = called.method;
      const methodSpec = spec?.methods[method];
      const release = closesReceiver(methodSpec, call);
      const wanted =
        release ||
        (methodSpec?.type === 'self' && method === spec?.opensWith) ||
        (methodSpec?.type === 'listener' && call.arguments[0] !== undefined && this.analysis.evaluator.string(call.arguments[0]) === 'error');
      if (!wanted) continue;
      const edit = this.mirror(call, identifier, dedicated, method);
      if (typeof edit === 'string') return edit;
      edits.push(edit);
      methods.add(method);
      if (release) closes = true;
    }
    return { edits, methods, closes };
  }

  /** The copy of one lifecycle call for the duplicate, beside the original. */
  private mirror(call: TSESTree.CallExpression, identifier: TSESTree.Identifier, to: string, method: string): TextEdit | string {
    const text = this.text;
    const copyOf = (node: TSESTree.Node) => `${text.slice(node.range[0], identifier.range[0])}${to}${text.slice(identifier.range[1], node.range[1])}`;
    let current: TSESTree.Node = call;
    // The call with what is chained onto it (`c.quit().then(…)`), without `await` or `void`.
    let chain: TSESTree.Node = call;
    for (;;) {
      const { node, parent } = skipWrappersUp(current);
      if (!parent) break;
      if (parent.type === AST_NODE_TYPES.AwaitExpression || (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void')) {
        current = parent;
        continue;
      }
      if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
        const { node: chainedCallee, parent: chained } = skipWrappersUp(parent);
        if (chained?.type === AST_NODE_TYPES.CallExpression && chained.callee === chainedCallee && current === chain) {
          current = chain = chained;
          continue;
        }
        break;
      }
      if (parent.type === AST_NODE_TYPES.ExpressionStatement) {
        const indent = indentationAt(text, parent.range[0]);
        let copy = copyOf(parent);
        const args = plainArguments(text, call)?.args ?? [];
        // Past the file's line width (the copy's name is longer), its arguments go one a line.
        if (current === call && args.length > 0 && displayWidth(indent + copy) > widthOfAnalysed(this.analysis)) {
          copy = `${copyOf(call.callee)}${brokenList('(', args, ')', text, parent.range[0])}${text.slice(call.range[1], parent.range[1])}`;
        }
        return statementAfter(text, this.comments, parent, copy);
      }
      if (parent.type === AST_NODE_TYPES.ArrayExpression) {
        const added: TextEdit = { start: node.range[1], end: node.range[1], text: `, ${copyOf(node)}` };
        const elements = parent.elements.map((element) => (element ? text.slice(element.range[0], element.range[1]) : ''));
        const at = parent.elements.indexOf(node as TSESTree.Expression);
        const written = applyEdits(text, [added], parent.range[0], parent.range[1]);
        // Past the file's line width, one element a line (when the array holds nothing but them).
        if (!overflows(text, parent.range[0], parent.range[1], written, widthOfAnalysed(this.analysis)) || !listOnly(text, parent.range, elements, '[', ']')) return added;
        return { start: parent.range[0], end: parent.range[1], text: brokenList('[', [...elements.slice(0, at + 1), copyOf(node), ...elements.slice(at + 1)], ']', text, parent.range[0]) };
      }
      // `() => c.quit()` and `return c.quit()`: both closings, awaited together (past the file's line width, one a line).
      if (chain === call && ((parent.type === AST_NODE_TYPES.ArrowFunctionExpression && parent.body === node) || parent.type === AST_NODE_TYPES.ReturnStatement)) {
        const closings = [text.slice(call.range[0], call.range[1]), copyOf(call)];
        const joined = `Promise.all([${closings.join(', ')}])`;
        const broken = overflows(text, call.range[0], call.range[1], joined, widthOfAnalysed(this.analysis));
        return { start: call.range[0], end: call.range[1], text: broken ? `Promise.all(${brokenList('[', closings, ']', text, call.range[0])})` : joined };
      }
      break;
    }
    return `\`${this.name}.${method}()\` at line ${lineOf(call)} is not a statement of its own, so it can't be repeated for the duplicate; make the dedicated client by hand`;
  }

  /** How the duplicate is exported when the client is: `export const`, or beside a CommonJS export. */
  private exportEdits(dedicated: string): { prefix: string; edits: TextEdit[] } | string {
    if (!this.connection.exported) return { prefix: '', edits: [] };
    const statement = this.connection.declaration!.statement;
    if (statement.type === AST_NODE_TYPES.ExportNamedDeclaration) return { prefix: 'export ', edits: [] };
    const edits: TextEdit[] = [];
    let esm = false;
    for (const reference of this.variable.references) {
      const { node, parent } = skipWrappersUp(reference.identifier);
      if (!parent) continue;
      if (parent.type === AST_NODE_TYPES.ExportSpecifier || parent.type === AST_NODE_TYPES.ExportDefaultDeclaration) {
        esm = true;
        continue;
      }
      if (parent.type === AST_NODE_TYPES.Property && parent.value === node && isCommonJsExportObject(parent.parent)) {
        edits.push({ start: parent.range[1], end: parent.range[1], text: `, ${dedicated}` });
        continue;
      }
      if (parent.type === AST_NODE_TYPES.AssignmentExpression && parent.right === node && parent.left.type === AST_NODE_TYPES.MemberExpression && isModuleExports(parent.left)) {
        const target = parent.left;
        const exportsItself = target.object.type === AST_NODE_TYPES.Identifier && target.object.name === 'module' && staticPropertyName(target) === 'exports';
        const holder = parent.parent;
        if (exportsItself || holder?.type !== AST_NODE_TYPES.ExpressionStatement) {
          return `\`${this.name}\` is exported as the module itself, so a duplicate can't be exported beside it; make the dedicated client by hand`;
        }
        const object = this.text.slice(target.object.range[0], target.object.range[1]);
        edits.push(statementAfter(this.text, this.comments, holder, `${object}.${dedicated} = ${dedicated}${semicolonAfter(this.text, holder)}`));
      }
    }
    return esm ? { prefix: 'export ', edits } : { prefix: '', edits };
  }

  /** Comments about the moved call that name the old client (on its line or right above it). */
  private commentEdits(command: BlockingCall, dedicated: string): TextEdit[] {
    const statement = enclosingStatement(command.call);
    const line = command.call.loc.start.line;
    const pattern = new RegExp(`(?<![\\w$.])${escapeRegExp(this.name)}(?![\\w$])`, 'g');
    const edits: TextEdit[] = [];
    for (const comment of this.comments) {
      const onLine = comment.loc.start.line === line || comment.loc.end.line === line;
      const above = statement !== undefined && comment.loc.end.line === statement.loc.start.line - 1 && comment.range[1] <= statement.range[0];
      if (!onLine && !above) continue;
      const body = this.text.slice(comment.range[0], comment.range[1]);
      for (const match of body.matchAll(pattern)) {
        const start = comment.range[0] + match.index;
        edits.push({ start, end: start + this.name.length, text: dedicated });
      }
    }
    return edits;
  }
}

/** The blocking call's receiver renamed; past the file's width, its arguments go one a line. */
function receiverEdits(analysis: RedisAnalysis, command: BlockingCall, receiver: TSESTree.Node, name: string): TextEdit[] {
  const text = analysis.sourceCode.text;
  const renamed: TextEdit = { start: receiver.range[0], end: receiver.range[1], text: name };
  const call = command.call;
  const plain = plainArguments(text, call);
  const lineStart = lineStartOf(text, call.range[0]);
  const written = applyEdits(text, [renamed], lineStart, call.range[1]);
  if (!plain || plain.args.length < 2 || !overflows(text, lineStart, call.range[1], written, widthOfAnalysed(analysis))) return [renamed];
  return [renamed, { start: plain.open, end: call.range[1], text: brokenList('(', plain.args, ')', text, call.range[0]) }];
}

/** A call's arguments as written, when its parentheses hold nothing else, on one line. */
function plainArguments(text: string, call: TSESTree.CallExpression): { open: number; args: string[] } | undefined {
  const open = text.indexOf('(', call.callee.range[1]);
  const args = call.arguments.map((argument) => text.slice(argument.range[0], argument.range[1]));
  return open >= 0 && listOnly(text, [open, call.range[1]], args, '(', ')') ? { open, args } : undefined;
}

function waitBoundsOf(value: RedisValue, analysis: RedisAnalysis): WaitBounds {
  const major = analysis.versions.major(value.library);
  const view = clientOptionsOf(value, analysis.evaluator);
  const applies = (spec: TimeoutOptionSpec) => appliesToMajor(spec.versions, major, value.library.latestMajor);
  const blocking = value.library.timeouts.find((spec) => spec.bounds === 'blocking-command' && applies(spec));
  return {
    timeouts: value.library.timeouts.filter((spec) => spec.cutsBlockingWait && spec.appliesTo === 'client' && spec.argument === 'options' && applies(spec)).map((spec) => resolveTimeout(view, spec)),
    blockingMs: (blocking && explicitBound(resolveTimeout(view, blocking))?.ms) || undefined,
  };
}

/** Why the duplicate's timeouts would cut one of these waits, or undefined when none would. */
function cutWait({ timeouts, blockingMs }: WaitBounds, calls: BlockingCall[], name: string): string | undefined {
  for (const call of calls) {
    const ms = waitMsOf(call.timeout.ms, blockingMs);
    const endless = ms === undefined || !Number.isFinite(ms);
    if (timeouts.some((timeout) => timeout.state === 'unknown')) return `the options of \`${name}\` can't be read, so whether its timeouts cut ${call.command} (line ${lineOf(call.call)}) is unknown; move it by hand`;
    const cutting = timeouts.find((timeout): timeout is BoundedTimeout => timeout.state === 'bounded' && (endless || timeout.ms <= ms));
    if (cutting) {
      const option = cutting.spec.path.join('.');
      const wait = ms === Infinity ? 'waits forever (timeout 0)' : endless ? "waits for a time this file can't read" : `waits up to ${ms} ms`;
      return `${call.command} at line ${lineOf(call.call)} ${wait}, and ${option} ${cutting.ms} on \`${name}\` would cut it; give the call a shorter timeout or the duplicate a longer ${option} first`;
    }
  }
  return undefined;
}

/** The release a codemod writes for a value of this library, kind and installed major (catalog `preferredRelease`). */
function preferredRelease(value: RedisValue, analysis: RedisAnalysis): string | undefined {
  const spec = value.library.values[value.kind];
  const major = analysis.versions.major(value.library);
  const preferred = spec?.preferredRelease?.find((entry) => appliesToMajor(entry.versions, major, value.library.latestMajor))?.method;
  return preferred ?? Object.entries(spec?.methods ?? {}).find(([, method]) => method.type === 'release' && method.loanArg === undefined)?.[0];
}

/** The new value of a timeout that would cut a wait of `needed` ms, or undefined when it would not. */
function needsRaise(timeout: ResolvedTimeout, needed: number): number | undefined {
  // A command timeout is written even where the client has none: the duplicate's waits are known, so it gets a bound above them.
  if (timeout.spec.bounds === 'command') {
    return timeout.state === 'bounded' && timeout.ms >= needed ? undefined : Math.max(needed, LEAST_COMMAND_TIMEOUT_MS);
  }
  return timeout.state === 'bounded' && timeout.ms < needed ? needed : undefined;
}

export interface ChainSegment {
  method: string;
  /** `.on('error', h)` as written. */
  text: string;
  call: TSESTree.CallExpression;
}

/** The calls chained onto the creation in `const c = await createClient().on(…).connect()`. */
export function chainAfter(init: TSESTree.Node, creation: TSESTree.Node, text: string): { awaited: boolean; segments: ChainSegment[] } | undefined {
  const segments: ChainSegment[] = [];
  let current = unwrapExpression(init);
  let awaited = false;
  if (current.type === AST_NODE_TYPES.AwaitExpression) {
    awaited = true;
    current = unwrapExpression(current.argument);
  }
  while (current !== creation) {
    const parts = methodCall(current);
    if (!parts) return undefined;
    const args = parts.call.arguments.map((arg) => text.slice(arg.range[0], arg.range[1])).join(', ');
    segments.unshift({ method: parts.method, text: `.${parts.method}(${args})`, call: parts.call });
    current = unwrapExpression(parts.receiver);
  }
  return { awaited, segments };
}

/** `module.exports = { … }` or `exports = { … }`: the object literal exported. */
function isCommonJsExportObject(node: TSESTree.Node | undefined): boolean {
  const assignment = node?.parent;
  return (
    node?.type === AST_NODE_TYPES.ObjectExpression &&
    assignment?.type === AST_NODE_TYPES.AssignmentExpression &&
    assignment.right === node &&
    assignment.left.type === AST_NODE_TYPES.MemberExpression &&
    isModuleExports(assignment.left)
  );
}

function enclosingStatement(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current: TSESTree.Node | undefined = node; current; current = current.parent) {
    if (current.parent?.type === AST_NODE_TYPES.BlockStatement || current.parent?.type === AST_NODE_TYPES.Program) return current;
    if (current.type.endsWith('Statement') || current.type.endsWith('Declaration')) return current;
  }
  return undefined;
}

// ---- A client imported from another module of the application. ----

/** What the declaring module offers importers: a dedicated duplicate exported now or once planned there. */
type ModuleDedicated =
  /** `edits`: what makes the duplicate there, when it is not there yet (`rewrites`: the module's own plan, when it is). */
  | { type: 'exported'; name: string; bounds: WaitBounds; edits?: TextEdit[]; rewrites?: RewritePlan[] }
  /** `unused`: the module runs no blocking command on its client, so its own plan makes nothing there. */
  | { type: 'none'; reason: string; unused?: boolean };

const PROBE_RULE = 'dedicated-connection-probe';

/**
 * For a blocking call on a client imported from a relative module: move it onto the dedicated
 * duplicate that module exports, or will export once its own plan is applied (that module is
 * read from disk and planned in memory with `rule`, the rule that plans it). Only when a codemod
 * collects plans: a suggestion in an editor can't change the other module at the same time.
 */
export function planImportedDedicated(finding: SharingFinding, analysis: RedisAnalysis, filename: string, rule: AnyRule): DedicatedConnectionPlan | undefined {
  const { connection, use } = finding;
  const imported = connection.imported;
  if (connection.role !== 'client' || connection.scope !== 'imported' || !imported || !isLocalModule(imported.source)) return undefined;
  const command = use.command;
  if (command.type !== 'blocking') return undefined;
  const receiver = unwrapExpression(use.receiver);
  if (receiver.type === AST_NODE_TYPES.CallExpression) return planImportedGetter(finding, receiver, analysis, filename);
  const ref = importedRefOf(use.receiver, analysis);
  if (!ref || ref.source !== imported.source) return undefined;
  const modulePath = resolveModule(filename, imported.source);
  if (!modulePath) return undefined;
  const calls = blockingCallsOf(connection);
  let offered = moduleDedicated(modulePath, ref.importedName, rule);
  // A module that runs no blocking command on its client gets the duplicate from this plan, for these waits.
  if (offered.type === 'none' && offered.unused) offered = madeForImporters(modulePath, ref.importedName, calls);
  if (offered.type === 'none') {
    return skip(`'${imported.source}' ${offered.reason.replace('<name>', ref.importedName)}`);
  }
  const name = offered.name;
  const cut = cutWait(offered.bounds, [command], name);
  if (cut) return skip(cut);
  // The module's own plan makes the duplicate: its edits go with this file's.
  const elsewhere = offered.edits && [{ file: modulePath, edits: offered.edits, rewrites: offered.rewrites }];
  // Made for the importers alone (the module's own plan would not make it): the report says where.
  const note = offered.edits && !offered.rewrites ? `; \`${name}\` is added to ${path.relative(path.dirname(filename), modulePath).split(path.sep).join('/')}` : undefined;
  if (ref.kind === 'member') {
    const { property } = receiver as TSESTree.MemberExpression;
    return { type: 'rewrite', name, elsewhere, note, edits: [{ start: property.range[0], end: property.range[1], text: name }] };
  }
  const sourceCode = analysis.sourceCode;
  const taken = identifierNames(sourceCode.ast);
  const references = ref.variable.references.filter((reference) => !reference.init);
  const onlyBlocking = references.length === calls.length && connection.work.length === 0 && references.every((reference) => calls.some((call) => methodCallOn(reference.identifier)?.call === call.call));
  if (onlyBlocking && !taken.has(name)) {
    const specifier = ref.specifier;
    // `{ redis as r }`, `{ redis: r }`: only the imported name changes.
    const importedKey = specifier.type === AST_NODE_TYPES.ImportSpecifier ? specifier.imported : specifier.type === AST_NODE_TYPES.Property ? specifier.key : undefined;
    if (importedKey && ref.variable.name !== ref.importedName) return { type: 'rewrite', name, elsewhere, note, edits: [{ start: importedKey.range[0], end: importedKey.range[1], text: name }] };
    const isDefault = specifier.type === AST_NODE_TYPES.ImportDefaultSpecifier;
    if (isDefault && (specifier.parent as TSESTree.ImportDeclaration).specifiers.length !== 1) return skip(`\`${ref.variable.name}\` is imported in a form the codemod does not rewrite; import the dedicated duplicate by hand`);
    const edits: TextEdit[] = [{ start: specifier.range[0], end: specifier.range[1], text: isDefault ? `{ ${name} }` : name }];
    for (const reference of references) edits.push({ start: reference.identifier.range[0], end: reference.identifier.range[1], text: name });
    return { type: 'rewrite', name, edits, elsewhere, note };
  }
  // Other work stays on the shared client: the duplicate is imported beside it.
  const edits: TextEdit[] = receiverEdits(analysis, command, receiver, name);
  if (!importsName(ref, name)) {
    if (taken.has(name)) return skip(`\`${name}\` is already a name in this file; import the dedicated duplicate by hand`);
    const addition = addImportedNameEdit(ref.specifier.parent, name);
    if (!addition) return skip(`\`${ref.variable.name}\` is imported in a form the codemod does not extend; import \`${name}\` from '${ref.source}' by hand`);
    edits.push(addition);
  }
  return { type: 'rewrite', name, edits, elsewhere, note };
}

function blockingCallsOf(connection: Connection): BlockingCall[] {
  return connection.blocking.map((other) => other.command).filter((call): call is BlockingCall => call.type === 'blocking');
}

/**
 * `getRedis().brpop(…)`, `getRedis` imported from the module that memoises the one client it
 * hands out: the blocking calls move to `getRedisBlocking()`, a getter written beside it in that
 * module in its style (its holder variable copied, the creation replaced by a duplicate of the
 * shared client) and closed where that module closes the shared one; a re-export on the way
 * (`export { getRedis } from './redis'`) names it too. These edits go with this file's.
 */
function planImportedGetter(finding: SharingFinding, call: TSESTree.CallExpression, analysis: RedisAnalysis, filename: string): DedicatedConnectionPlan | undefined {
  const { connection, use } = finding;
  const command = use.command as BlockingCall;
  const ref = call.arguments.length === 0 ? importedRefOf(call.callee, analysis) : undefined;
  const owner = connection.value?.summary?.from;
  const entry = ref && resolveModule(filename, ref.source);
  if (ref?.kind !== 'binding' || ref.source !== connection.imported?.source || !owner || !entry) return undefined;
  const getter = ref.importedName;
  const name = `${getter}Blocking`;
  const where = `'${ref.source}'`;
  let ownerText: string;
  let entryText: string;
  try {
    [ownerText, entryText] = [sourceOf(owner), sourceOf(entry)];
    const file = path.relative(path.dirname(filename), owner).split(path.sep).join('/');
    const planned = withAnalysis(owner, ownerText, (ownerAnalysis) => planGetter(ownerAnalysis, getter, blockingCallsOf(connection))).found;
    if (typeof planned === 'string') return skip(`can't add \`${name}()\` to ${file}: ${planned}${/by hand|first$/.test(planned) ? '' : '; add it there by hand'}`);
    const cut = planned.bounds && cutWait(planned.bounds, [command], `${name}()`);
    if (cut) return skip(cut);
    const elsewhere = planned.edits.length > 0 ? [{ file: owner, edits: planned.edits }] : [];
    if (entry !== owner && planned.edits.length > 0) {
      const reexport = withAnalysis(entry, entryText, (entryAnalysis) => reexportEdit(entryAnalysis, getter, name, entry, owner)).found;
      if (typeof reexport === 'string') return skip(`${where} ${reexport}`);
      if (reexport) elsewhere.push({ file: entry, edits: [reexport] });
    }
    const taken = identifierNames(analysis.sourceCode.ast);
    const edits: TextEdit[] = [{ start: call.callee.range[0], end: call.callee.range[1], text: name }];
    if (!importsName(ref, name)) {
      const addition = !taken.has(name) && addImportedNameEdit(ref.specifier.parent, name);
      if (!addition) return skip(`\`${name}\` can't be imported beside \`${getter}\` here; import it from ${where} by hand`);
      edits.push(addition);
    }
    const note = elsewhere.length === 0 ? undefined : `; \`${name}()\` is added to ${file}${planned.closes ? '' : `, where nothing closes \`${planned.held}\`, so nothing closes its duplicate either: close both on shutdown`}`;
    return { type: 'rewrite', name: `${name}()`, edits, elsewhere: elsewhere.length > 0 ? elsewhere : undefined, note };
  } catch (error) {
    if (error instanceof UnparsableFileError || (error as NodeJS.ErrnoException).code === 'ENOENT') return skip(`${where} can't be read or parsed; move the blocking calls to a dedicated client by hand`);
    throw error;
  }
}

/**
 * In the module that declares `getter`: the edits that add `<getter>Blocking()` (none when it is
 * there already), or why not. The getter must be an exported function that assigns a catalog
 * client, once, to a module-level variable it returns, and nothing else writes that variable.
 */
function planGetter(analysis: RedisAnalysis, getter: string, moved: BlockingCall[]): { edits: TextEdit[]; held: string; closes: boolean; bounds?: WaitBounds } | string {
  const { sourceCode } = analysis;
  const text = sourceCode.text;
  const scope = moduleScopeOf(sourceCode);
  const name = `${getter}Blocking`;
  const fnVariable = scope?.set.get(getter);
  const def = fnVariable?.defs.length === 1 ? fnVariable.defs[0] : undefined;
  const fn = def?.type === 'FunctionName' ? def.node : def?.type === 'Variable' && def.node.init && isFunctionNode(def.node.init) ? def.node.init : undefined;
  // `export function f()` is exported by its own parent.
  const exported = (candidate: Variable) => candidate.defs[0]?.node.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration || isExported(candidate, sourceCode);
  if (!scope || !fn?.body || !exported(fnVariable!)) return `it does not declare \`${getter}\` as an exported function`;
  // The module-level variable the getter fills with a client of the catalog.
  let held: { variable: Variable; assignment: TSESTree.AssignmentExpression; value: RedisValue } | undefined;
  walk(fn.body!, (node) => {
    if (node.type !== AST_NODE_TYPES.AssignmentExpression || node.left.type !== AST_NODE_TYPES.Identifier) return;
    const variable = findVariableFor(sourceCode, node.left);
    const value = analysis.origins.valueOrPromised(node.right);
    if (variable?.scope === scope && value && value.how !== 'method' && value.how !== 'summary' && value.how !== 'type') held = { variable, assignment: node, value };
  });
  if (!held) return `\`${getter}\` does not keep a client it makes in a module-level variable`;
  const { variable, assignment, value } = held;
  const heldName = variable.name;
  const existing = scope.set.get(name);
  if (existing) {
    if (!exported(existing)) return `its \`${name}\` is not exported; export it and run the codemod again`;
    const dedicated = existing.defs[0]?.node;
    let bounds: WaitBounds | undefined;
    if (dedicated) walk(dedicated, (node) => {
      const made = node.type === AST_NODE_TYPES.AssignmentExpression ? analysis.origins.valueOrPromised(node.right) : undefined;
      if (made?.how === 'method' && made.call && methodCall(made.call)?.method === 'duplicate') bounds = waitBoundsOf(made, analysis);
    });
    return bounds ? { edits: [], held: heldName, closes: true, bounds } : `its \`${name}\` does not hand out a duplicate`;
  }
  if (identifierNames(sourceCode.ast).has(name) || scope.set.has(`${heldName}Blocking`)) return `the name \`${name}\` or \`${heldName}Blocking\` is taken there`;
  const declarator = variable.defs[0]?.node;
  const statement = declarator?.parent;
  const others = writesOf(variable).filter((write) => write.node !== assignment && write.value !== undefined);
  if (variable.defs.length !== 1 || declarator?.type !== AST_NODE_TYPES.VariableDeclarator || statement?.type !== AST_NODE_TYPES.VariableDeclaration || statement.declarations.length !== 1 || others.length > 0 || writesOf(variable).some((write) => write.value === undefined && write.node !== declarator)) {
    return `\`${heldName}\` is written outside \`${getter}\` too`;
  }
  const planner = new DedicatedPlanner({ blocking: [] } as unknown as Connection, value, variable, heldName, analysis);
  const override = planner.override(moved);
  if (typeof override === 'string') return override;
  if (value.library.values[value.kind]?.methods.duplicate?.type !== 'produces') return `${value.library.displayName} has no duplicate()`;
  const dedicatedHeld = `${heldName}Blocking`;
  const rename = (node: TSESTree.Node, to: string): TextEdit => ({ start: node.range[0], end: node.range[0] + (node.type === AST_NODE_TYPES.Identifier ? node.name.length : 0), text: to });
  const newline = newlineOf(text);
  // The holder, copied under its new name.
  const holderEnd = endWithTrailingComment(text, sourceCode.getAllComments(), statement.range[1]).end;
  const holder = `${newline}${applyEdits(text, [rename(declarator.id, dedicatedHeld)], statement.range[0], statement.range[1])}`;
  // The getter, copied: its name, its holder and its creation replaced.
  const fnStatement = topLevelStatement(fn);
  const inside: TextEdit[] = [{ start: assignment.right.range[0], end: assignment.right.range[1], text: `${getter}().duplicate(${override.text})` }];
  if (fn.type === AST_NODE_TYPES.FunctionDeclaration && fn.id) inside.push(rename(fn.id, name));
  else if (def?.type === 'Variable') inside.push(rename(def.node.id, name));
  for (const { identifier } of variable.references) if (within(identifier, fn) && !within(identifier, assignment.right)) inside.push(rename(identifier, dedicatedHeld));
  const copy = applyEdits(text, inside, fnStatement.range[0], fnStatement.range[1]);
  const fnEnd = endWithTrailingComment(text, sourceCode.getAllComments(), fnStatement.range[1]).end;
  const edits: TextEdit[] = [
    { start: holderEnd, end: holderEnd, text: holder },
    { start: fnEnd, end: fnEnd, text: `${newline}${newline}// A connection of its own for blocking commands, which would stall every other caller of ${getter}().${newline}${copy}` },
  ];
  // Closed where the shared one is, when it exists: `await held?.quit();` after each closing statement.
  let closes = false;
  for (const reference of variable.references) {
    const called = within(reference.identifier, fn) ? undefined : methodCallOn(reference.identifier);
    if (called?.method === undefined || value.library.values[value.kind]?.methods[called.method]?.type !== 'release') continue;
    const { call: closing } = called;
    const method = called.method;
    // `await held.quit();`, `held?.quit();`, `void held.quit();`: a statement of its own.
    const { parent: around } = skipWrappersUp(closing);
    const prefix = around?.type === AST_NODE_TYPES.AwaitExpression ? 'await ' : around?.type === AST_NODE_TYPES.UnaryExpression && around.operator === 'void' ? 'void ' : '';
    const holderStatement = prefix ? skipWrappersUp(around!).parent : around;
    if (holderStatement?.type !== AST_NODE_TYPES.ExpressionStatement) return `\`${heldName}.${method}()\` at line ${lineOf(closing)} is not a statement of its own`;
    const args = text.slice(closing.arguments[0]?.range[0] ?? 0, closing.arguments.at(-1)?.range[1] ?? 0);
    edits.push(statementAfter(text, sourceCode.getAllComments(), holderStatement, `${prefix}${dedicatedHeld}?.${method}(${args})${semicolonAfter(text, holderStatement)}`));
    closes = true;
  }
  return { edits, held: heldName, closes };
}

/** In a module between: `export { getter } from '<owner>'` gets `name` beside it; `export *` from it needs nothing. */
function reexportEdit(analysis: RedisAnalysis, getter: string, name: string, entry: string, owner: string): TextEdit | undefined | string {
  for (const statement of analysis.sourceCode.ast.body) {
    if ((statement.type !== AST_NODE_TYPES.ExportNamedDeclaration && statement.type !== AST_NODE_TYPES.ExportAllDeclaration) || !statement.source || resolveModule(entry, statement.source.value) !== owner) continue;
    if (statement.type === AST_NODE_TYPES.ExportAllDeclaration) return statement.exported ? 'exports the module that declares it as a namespace; export the dedicated getter by hand' : undefined;
    const specifier = statement.specifiers.find((candidate) => candidate.local.type === AST_NODE_TYPES.Identifier && candidate.local.name === getter && candidate.exported.type === AST_NODE_TYPES.Identifier && candidate.exported.name === getter);
    if (specifier) return { start: specifier.range[1], end: specifier.range[1], text: `, ${name}` };
  }
  return `re-exports \`${getter}\` in a form the codemod does not extend; re-export \`${name}\` beside it by hand`;
}

/** How this module refers to the imported client at a receiver. */
type ImportedRef =
  /** `import { redis }`, `import redis`, `const { redis } = require(…)`: a binding of its own. */
  | { kind: 'binding'; variable: Variable; specifier: TSESTree.ImportSpecifier | TSESTree.ImportDefaultSpecifier | TSESTree.Property; importedName: string; source: string }
  /** `db.redis` with `import * as db` or `const db = require(…)`. */
  | { kind: 'member'; importedName: string; source: string };

function importedRefOf(receiverNode: TSESTree.Expression, analysis: RedisAnalysis): ImportedRef | undefined {
  const receiver = unwrapExpression(receiverNode);
  const member = receiver.type === AST_NODE_TYPES.MemberExpression && !receiver.computed ? receiver : undefined;
  const identifier = member ? member.object : receiver;
  if (identifier.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, identifier);
  const imported = variable && importOf(variable);
  if (!variable || !imported || imported.typeOnly) return undefined;
  const { node, source } = imported;
  // `const db = require(…)`, not `const { default: db } = require(…)` nor `require(…).default`.
  const wholeRequire = node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.Identifier && !!node.init && requireSpecifier(unwrapExpression(node.init)) !== undefined;
  if (member) {
    const name = staticPropertyName(member);
    return name !== undefined && (imported.name === '*' || wholeRequire) ? { kind: 'member', importedName: name, source } : undefined;
  }
  if (node.type === AST_NODE_TYPES.ImportSpecifier || node.type === AST_NODE_TYPES.ImportDefaultSpecifier) {
    return { kind: 'binding', variable, specifier: node, importedName: imported.name, source };
  }
  // `const { redis } = require(…)`; not `{ redis = d }`, whose default the rename would drop.
  const pattern = node.type === AST_NODE_TYPES.VariableDeclarator && node.id.type === AST_NODE_TYPES.ObjectPattern ? node.id : undefined;
  const property = pattern?.properties.find((candidate) => candidate.type === AST_NODE_TYPES.Property && candidate.value === variable.defs[0]?.name);
  return property?.type === AST_NODE_TYPES.Property ? { kind: 'binding', variable, specifier: property, importedName: imported.name, source } : undefined;
}

/** Whether the import that brings the client also brings `name` already. */
function importsName(ref: Extract<ImportedRef, { kind: 'binding' }>, name: string): boolean {
  const owner = ref.specifier.parent;
  if (owner?.type === AST_NODE_TYPES.ImportDeclaration) {
    return owner.specifiers.some((specifier) => specifier.type === AST_NODE_TYPES.ImportSpecifier && specifier.local.name === name);
  }
  return owner?.type === AST_NODE_TYPES.ObjectPattern && owner.properties.some((property) => property.type === AST_NODE_TYPES.Property && property.value.type === AST_NODE_TYPES.Identifier && property.value.name === name);
}

/** The file a relative specifier names, resolved as the analysis resolves imports. */
function resolveModule(from: string, specifier: string): string | undefined {
  return specifier.startsWith('.') ? getModuleView().resolveSpecifier(from, specifier) : undefined;
}

interface ProbeResult {
  /** The exported client's local name, when the module declares it at module level. */
  local?: string;
  /** Its dedicated duplicate, exported under its own name. */
  dedicated?: { name: string; bounds: WaitBounds };
  /** Its duplicate exists but is not exported. */
  unexported?: string;
}

const moduleCache = new Map<string, ModuleDedicated>();

/** What the declaring module offers for the client it exports as `exportedName`, now or once planned. */
function moduleDedicated(modulePath: string, exportedName: string, rule: AnyRule): ModuleDedicated {
  let text: string;
  try {
    text = sourceOf(modulePath);
  } catch {
    return { type: 'none', reason: "can't be read; move the blocking calls to a dedicated client by hand" };
  }
  const key = `${modulePath}\0${exportedName}\0${text}`;
  const cached = moduleCache.get(key);
  if (cached) return cached;
  const result = planModule(modulePath, text, exportedName, rule);
  if (moduleCache.size > 200) moduleCache.clear();
  moduleCache.set(key, result);
  return result;
}

function planModule(modulePath: string, text: string, exportedName: string, rule: AnyRule): ModuleDedicated {
  const probe = (source: string) => withAnalysis(modulePath, source, (analysis) => probeModule(analysis, exportedName), { 'no-blocking-on-shared-client': { rule } });
  try {
    const first = probe(text);
    const local = first.found.local;
    if (local === undefined) return { type: 'none', reason: 'does not declare `<name>` as a module-level client; move its blocking calls to a dedicated client by hand' };
    const advice = `add \`export const ${local}Blocking = ${local}.duplicate()\` there, with its error listener and closing, and run the codemod again`;
    const unexported: ModuleDedicated = { type: 'none', reason: `exports no dedicated duplicate of \`${local}\` for these blocking calls (its duplicate there is not exported); ${advice}` };
    if (first.found.dedicated) return { type: 'exported', ...first.found.dedicated };
    if (first.found.unexported) return unexported;
    const mine = first.plans.filter((plan) => plan.rule === 'no-blocking-on-shared-client' && plan.kind === DEDICATED_CONNECTION);
    const rewrite = mine.find((plan) => plan.type === 'rewrite' && plan.description.endsWith(`a dedicated duplicate of \`${local}\``));
    if (rewrite?.type === 'rewrite') {
      const second = probe(applyEdits(text, rewrite.edits));
      return second.found.dedicated ? { type: 'exported', ...second.found.dedicated, edits: rewrite.edits, rewrites: [rewrite] } : unexported;
    }
    const skipped = mine.filter((plan) => plan.type === 'skip').at(-1);
    const why = skipped?.type === 'skip' ? `there: ${skipped.reason}` : 'that module runs no blocking command on it, so the codemod makes no duplicate there';
    return { type: 'none', reason: `exports no dedicated duplicate of \`${local}\` for these blocking calls (${why}); ${advice}`, unused: skipped === undefined };
  } catch (error) {
    if (error instanceof UnparsableFileError) return { type: 'none', reason: "can't be parsed; move the blocking calls to a dedicated client by hand" };
    throw error;
  }
}

/** The duplicate of the client `modulePath` exports as `exportedName`, made there for waits as long as `moved`'s. */
function madeForImporters(modulePath: string, exportedName: string, moved: BlockingCall[]): ModuleDedicated {
  const made = withAnalysis(modulePath, sourceOf(modulePath), (analysis): Made | string => {
    const variable = moduleScopeOf(analysis.sourceCode)?.set.get(exportedName);
    const declarator = variable?.defs.length === 1 && variable.defs[0]!.type === 'Variable' ? variable.defs[0]!.node : undefined;
    const value = declarator?.init ? analysis.origins.valueOrPromised(declarator.init) : undefined;
    const statement = declarator?.parent;
    if (!variable || !value || declarator?.id.type !== AST_NODE_TYPES.Identifier || statement?.type !== AST_NODE_TYPES.VariableDeclaration || writesOf(variable).length !== 1) {
      return `does not declare \`${exportedName}\` once, as a module-level client; move its blocking calls to a dedicated client by hand`;
    }
    const declaration = { variable, declarator, statement: statement.parent?.type === AST_NODE_TYPES.ExportNamedDeclaration ? statement.parent : statement };
    const planned = new DedicatedPlanner({ declaration, exported: true, blocking: [] } as unknown as Connection, value, variable, exportedName, analysis).create(moved);
    return typeof planned === 'string' ? `can't get a dedicated duplicate of \`${exportedName}\` from the codemod: ${planned.replaceAll('this file', 'that module')}` : planned;
  }).found;
  if (typeof made === 'string') return { type: 'none', reason: made };
  // Its overrides raise every timeout that would cut these waits.
  return { type: 'exported', name: made.name, bounds: { timeouts: [] }, edits: made.edits };
}

/** `read` run on another module's analysis (with `rules` beside it, whose plans come back too). */
function withAnalysis<T>(file: string, text: string, read: (analysis: RedisAnalysis) => T, rules: Record<string, { rule: AnyRule }> = {}): { found: T; plans: FixPlan[] } {
  let found: T | undefined;
  const probeRule = analysisRule((analysis) => void (found = read(analysis)));
  const { plans } = analyzeFile(file, text, { rules: { ...rules, [PROBE_RULE]: { rule: probeRule } } });
  return { found: found!, plans };
}

/** In the declaring module: the client exported as `exportedName`, and its exported dedicated duplicate. */
function probeModule(analysis: RedisAnalysis, exportedName: string): ProbeResult {
  const { sourceCode } = analysis;
  const moduleScope = moduleScopeOf(sourceCode);
  if (!moduleScope) return {};
  const variable = exportedName === 'default' ? undefined : moduleScope.set.get(exportedName);
  const value = variable && declaredValue(variable, analysis);
  if (!variable || !value || value.how === 'type' || value.how === 'method' || !isExported(variable, sourceCode)) return {};
  const duplicate = existingDuplicate(moduleScope, exportedName, value, analysis);
  if (!duplicate) return { local: exportedName };
  if (!isExported(duplicate.variable, sourceCode)) return { local: exportedName, unexported: duplicate.name };
  return { local: exportedName, dedicated: { name: duplicate.name, bounds: waitBoundsOf(duplicate.value, analysis) } };
}

/** A module-level `<name>Blocking…` that is already a duplicate of the client. */
function existingDuplicate(scope: TSESLint.Scope.Scope, name: string, client: RedisValue, analysis: RedisAnalysis): { name: string; value: RedisValue; variable: Variable } | undefined {
  for (const suffix of SUFFIXES) {
    const variable = scope.set.get(`${name}Blocking${suffix}`);
    const value = variable && declaredValue(variable, analysis);
    if (value?.how === 'method' && value.parent?.creation === client.creation && value.call && methodCall(value.call)?.method === 'duplicate') return { name: variable!.name, value, variable: variable! };
  }
  return undefined;
}

/** The value a variable's one declaration initialises it with. */
function declaredValue(variable: Variable, analysis: RedisAnalysis): RedisValue | undefined {
  const def = variable.defs.length === 1 ? variable.defs[0] : undefined;
  return def?.type === 'Variable' && def.node.init ? analysis.origins.valueOrPromised(def.node.init) : undefined;
}
