import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { getRedisAnalysis, lineOf, within, type FunctionNode } from '../src/analysis';
import { AST_NODE_TYPES, isFunctionNode, isLoop, methodCall, skipWrappersUp, statementCall } from '../src/analysis/ast';
import { unclosedConnectionFields, CLOSE_METHOD_NAMES } from '../src/analysis/loan-fields';
import { createPathRecorder, findLeaks, type FunctionPaths, type HeldPath, type Leak, type LoanFlow } from '../src/analysis/loan-paths';
import { returnedExpressions } from '../src/analysis/pools';
import { planManagedCallForLeak } from '../src/analysis/fix/managed-call';
import { planTryFinally } from '../src/analysis/fix/try-finally';
import { collectingPlans, fixOf, recordPlan, type FixPlan } from '../src/analysis/plans';
import {
  acquisitionAt,
  bindingOf,
  describeValue,
  loanOf,
  managedMethodOf,
  mayHoldAcquisitions,
  type Acquisition,
  type Loan,
  type LoanBinding,
  type LoanOptions,
  type LoanUses,
  leavesOwnConnectionsOpen,
} from '../src/analysis/loans';
import { constructorFunctionLeaks, importedClassLeaks, perCallClassLeaks } from '../src/analysis/class-connections';
import { getModuleView, moduleSettingsOf } from '../src/analysis/modules';
import { droppedOnOwnBranch, nextLinkBinding } from '../src/analysis/conditional-loans';
import { lifetimeFaults, runsOnlyOnce } from '../src/analysis/lifetimes';
import { droppedThroughCallback, isRouteHandler, keptByReturnedFunctions, listensForRequestEnd, onlyBorrowed, usesOf, type Use } from '../src/analysis/uses';
import type { RedisValue } from '../src/analysis/origin';
import { nodesOfType } from '../src/analysis/node-index';
import { createRule } from '../src/create-rule';

export type Options = [
  {
    releaseMethods?: string[];
    callsTakeOwnership?: boolean;
    checkClassFields?: boolean;
  },
];

export type MessageIds =
  | 'neverReleased'
  | 'notReleasedOnReturn'
  | 'notReleasedOnJump'
  | 'notReleasedBeforeNextIteration'
  | 'notReleasedOnBranch'
  | 'notReleasedOnSomePath'
  | 'notReleasedOnThrow'
  | 'notReleasedOnThrowStatement'
  | 'fieldNeverClosed'
  | 'recreatedOnEveryCall'
  | 'overwrittenWhileOpen'
  | 'droppedWhileOpen'
  | 'instanceNeverClosed'
  | 'importedInstanceNeverClosed'
  | 'keptByReturnedFunctions'
  | 'keptOnRequest'
  | 'openedPerRequest'
  | 'wrapInTryFinally'
  | 'useManagedCall';

const DEFAULTS: Options[0] = { releaseMethods: [], callsTakeOwnership: true, checkClassFields: false };

export default createRule<Options, MessageIds>({
  name: 'no-unreleased-connection',
  meta: {
    type: 'problem',
    docs: {
      description: 'Require every pool loan and every connection made inside a function to be released on every path',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      neverReleased: 'This {{what}} is never released; {{advice}}.',
      notReleasedOnReturn: 'This {{what}} is not released on the early return at line {{line}}; {{advice}}.',
      notReleasedOnJump: 'This {{what}} is not released on the `{{keyword}}` at line {{line}}; {{advice}}.',
      notReleasedBeforeNextIteration:
        'This {{what}} is not released before the next iteration of the loop at line {{line}} acquires another; {{advice}}.',
      notReleasedOnBranch: 'This {{what}} is not released when {{test}} is {{outcome}} (line {{line}}); {{advice}}.',
      notReleasedOnSomePath: 'This {{what}} is not released on every path to the end of the function; {{advice}}.',
      notReleasedOnThrow: 'This {{what}} is not released if {{operation}} at line {{line}} throws; {{advice}}.',
      notReleasedOnThrowStatement: 'This {{what}} is not released when the `throw` at line {{line}} runs; {{advice}}.',
      fieldNeverClosed:
        '{{className}} keeps this {{what}} on `this.{{field}}` but has no method that closes it ({{methods}}): every instance leaves a connection open.',
      recreatedOnEveryCall:
        '{{fn}} makes a new {{what}} in `{{place}}` on every call without closing the one it holds: each call leaves a connection open. Make it once (`if (!{{place}})`) or close the previous one first.',
      overwrittenWhileOpen:
        'This {{what}} replaces the open one `{{place}}` holds (made at line {{line}}) without closing it: the previous connection stays open. Close it first.',
      droppedWhileOpen:
        'Setting `{{place}}` to {{empty}} drops the {{what}} made at line {{line}} without closing it, and nothing else closes it: close it first.',
      importedInstanceNeverClosed:
        'This `{{className}}` (from \'{{source}}\') keeps its {{what}} on `this.{{field}}` that nothing closes, and is made here per call and dropped: each call leaves a connection open. Add a close method and call it, or make one instance and share it.',
      instanceNeverClosed:
        '`{{className}}` keeps this {{what}} on `this.{{field}}` and nothing closes it, and line {{line}} makes a new `{{className}}` per call and drops it: each call leaves a connection open. Add a close method and call it, or make one instance and share it.',
      keptByReturnedFunctions:
        'This {{what}} stays open in the functions returned at line {{line}}, and none of them closes it: no caller can ever close it. Return a function that closes it beside them, and call it when done.',
      keptOnRequest:
        'This {{what}} is kept on `{{target}}` for the request, and nothing closes it: each request leaves a connection open. Close it when the response ends, or share one client.',
      openedPerRequest:
        'This {{what}} is made for each request (or client connection) and only used, by the handler and the listeners it registers; nothing closes it: each one leaves a Redis connection open. Close it when the request or connection ends, or share one client.',
      wrapInTryFinally: '{{verb}} `{{name}}` in a `finally` block.',
      useManagedCall: 'Use `{{call}}`, which gives `{{name}}` back on every path.',
    },
    schema: [
      {
        type: 'object',
        additionalProperties: false,
        properties: {
          releaseMethods: {
            type: 'array',
            description:
              'Extra names that release: a method called on the loan or connection (`client.shutdown()`), a method of any object given it as the first argument (`pools.giveBack(conn)`), or a function given it (`releaseClient(conn)`).',
            items: { type: 'string', minLength: 1 },
            uniqueItems: true,
          },
          callsTakeOwnership: {
            type: 'boolean',
            description:
              'Whether passing the loan or connection to a function the rule does not know (`track(conn)`, `new Session(conn)`) hands it over, ending this function\'s duty to release it. Turn off to treat such calls as borrowing.',
          },
          checkClassFields: {
            type: 'boolean',
            description:
              'Report every class that makes a connection, keeps it on `this`, and has no method that closes it (close, quit, disconnect, destroy, stop, shutdown, dispose, onModuleDestroy, onApplicationShutdown, onClose, [Symbol.asyncDispose], [Symbol.dispose]); by default only one a function of the same file makes per call and drops is reported.',
          },
        },
      },
    ],
    defaultOptions: [{ ...DEFAULTS }],
  },
  create(context, [options]) {
    const analysis = getRedisAnalysis(context);
    const { sourceCode } = context;
    // Nothing here can acquire: no catalog import, and (with types) no `acquire`/`duplicate` call.
    if (!mayHoldAcquisitions(sourceCode.text, analysis.types !== undefined) && !analysis.origins.mayHoldValues()) return {};
    const loanOptions: LoanOptions = {
      releaseMethods: new Set(options.releaseMethods ?? []),
      callsTakeOwnership: options.callsTakeOwnership ?? true,
    };
    const pending = new Map<FunctionNode, { acquisition: Acquisition; binding: LoanBinding }[]>();
    const typescript = /\.[cm]?tsx?$/.test(context.filename);

    function candidate(acquisition: Acquisition): void {
      let binding = bindingOf(acquisition, analysis, loanOptions);
      if (binding.type === 'dropped') {
        reportDropped(acquisition, binding);
        return;
      }
      // `isClient(x) ? x : new Redis(x)` never closed; `.then(() => pool.acquire()).then((c) => …)`.
      const dropped = binding.type === 'unknown' ? droppedOnOwnBranch(acquisition, analysis, loanOptions) : undefined;
      if (dropped !== undefined) {
        reportUnreleased(acquisition, dropped);
        return;
      }
      if (binding.type === 'handed-over' && !acquisition.promised && acquisition.opensWith === undefined && droppedThroughCallback(acquisition.node, sourceCode)) {
        reportUnreleased(acquisition);
        return;
      }
      if (binding.type === 'handed-over') binding = nextLinkBinding(acquisition, analysis) ?? binding;
      if (binding.type !== 'variable' && binding.type !== 'callback') return;
      const owner = binding.type === 'callback' ? binding.callback : acquisition.owner;
      const list = pending.get(owner);
      if (list) list.push({ acquisition, binding });
      else pending.set(owner, [{ acquisition, binding }]);
    }

    /** Never released: dropped, only used, or kept on a per-request object (`target`). */
    function reportUnreleased(acquisition: Acquisition, target = ''): void {
      const what = describeValue(acquisition.value, acquisition.lender);
      if (target) context.report({ node: acquisition.node, messageId: 'keptOnRequest', data: { what, target } });
      else context.report({ node: acquisition.node, messageId: 'neverReleased', data: { what, advice: adviceFor(acquisition, sourceCode) } });
    }

    function reportDropped(acquisition: Acquisition, binding: Extract<LoanBinding, { type: 'dropped' }>): void {
      const method = binding.lastCall && methodCall(binding.lastCall)?.method;
      if (method && acquisition.value.library.takeoverMethods?.[method]) return;
      if (acquisition.kind === 'loan') recordTryFinallySkip(acquisition, 'the loan is discarded: nothing can release it');
      reportUnreleased(acquisition);
    }

    // Reply callbacks finish before the function that sends their command: kept for it while a loan is pending.
    const callbackPaths = new Map<FunctionNode, FunctionPaths>();

    function checkFunction(paths: FunctionPaths): void {
      if (pending.size > 0 && isTrailingCallback(paths.node)) callbackPaths.set(paths.node, paths);
      const list = pending.get(paths.node);
      if (!list) return;
      pending.delete(paths.node);
      for (const { acquisition, binding } of list) checkLoan(paths, acquisition, binding);
    }

    function checkLoan(paths: FunctionPaths, acquisition: Acquisition, binding: LoanBinding): void {
      const loan = loanOf(acquisition, binding, analysis, loanOptions);
      if (!loan) return;
      const uses = loan.uses((from, targets, barriers) => paths.reaches(from, targets, barriers));
      const flow = loan.flow(uses);
      // A node-redis client never connected here holds no socket.
      if (!flow.heldAtStart && flow.acquisitions.size === 0) return;
      const continued = new Set<TSESTree.Node>();
      const leaks = leaksOf(paths, flow, uses, continued);
      // `return { emit }` whose functions use the client and none closes it: a finally would break them.
      if (!uses.releases) {
        const closes = (use: Use) => use.kind === 'method-call' && loan.isReleasedBy(use.call as TSESTree.CallExpression);
        const all = usesOf(loan.binding.variable, sourceCode);
        const kept = returnedExpressions(loan.owner).find((returned) => keptByReturnedFunctions(all, returned, closes, sourceCode));
        const target = kept ? undefined : onlyBorrowed(all, closes, sourceCode);
        // `getClient(cb) { const c = …; cb(null, c) }` whose callers only use it: the passes hand nothing over.
        // Made by a factory run once at start-up (`export const bus = createBus()`): a singleton.
        if (kept && runsOnlyOnce(loan.owner, analysis)) return;
        // Made in a request handler (a route's, or one that listens for the request's end) and only
        // used, there and in listeners it registers (`req.on('close', () => sub.unsubscribe())`):
        // nothing can ever close it.
        const perRequest = () => isRouteHandler(loan.owner) || listensForRequestEnd(loan.owner, sourceCode);
        if (!kept && target === '' && acquisition.kind === 'connection' && !all.some((use) => use.kind === 'passed') && perRequest()) {
          recordTryFinallySkip(acquisition, 'it lives as long as the request: close it when the response ends');
          context.report({ node: acquisition.node, messageId: 'openedPerRequest', data: { what: describeValue(acquisition.value, acquisition.lender) } });
          return;
        }
        if (kept || target || (target === '' && all.some((use) => use.kind === 'passed'))) {
          recordTryFinallySkip(acquisition, kept ? 'the returned functions keep the connection: they need a close function, not a finally' : 'it is kept on the request: close it when the response ends');
          if (kept) context.report({ node: acquisition.node, messageId: 'keptByReturnedFunctions', data: { what: describeValue(acquisition.value, acquisition.lender), line: lineOf(kept) } });
          else reportUnreleased(acquisition, target!);
          return;
        }
      }
      const rejections: Leak[] = uses.rejectionLeaks.map((cause) => ({ kind: 'escape', path: { cause } }));
      const all = [...leaks, ...rejections];
      const what = describeValue(acquisition.value, acquisition.lender);
      const advice = adviceFor(acquisition, sourceCode, partialCloseOf(loan, sourceCode));
      if (all.length === 0) {
        if (continued.size > 0) checkContinuations(loan, uses, continued, flow.ends.size > uses.continuations.size, what, advice);
        else if (collectingPlans()) recordManagedShape(loan);
        return;
      }
      // Kept open on purpose for a subscription or a monitor: nothing to report or plan.
      if (flow.ends.size === 0 && uses.subscribed) return;
      const plan = planTryFinally(loan, uses, analysis, { rule: 'no-unreleased-connection', kind: tryFinallyKind(acquisition), typescript });
      recordPlan(plan);
      const suggest = suggestionsFor(loan, uses, plan);
      if (flow.ends.size === 0) {
        context.report({ node: acquisition.node, messageId: 'neverReleased', data: { what, advice }, suggest });
        return;
      }
      const { messageId, data } = pickLeak(all, sourceCode);
      context.report({ node: acquisition.node, messageId, data: { what, advice, ...data }, suggest });
    }

    /**
     * A function that only hands the value over (returns it, stores it, registers its close)
     * is faulted for what fails at run time before the hand-over (an awaited operation, a
     * `throw`), not for synchronous set-up calls that throw only on a programming error.
     */
    function leaksOf(paths: FunctionPaths, flow: LoanFlow, uses: LoanUses, continued: Set<TSESTree.Node>): Leak[] {
      const leaks = findLeaks(paths, flow, continued);
      return !uses.releases && flow.ends.size > 0 ? leaks.filter((leak) => leak.kind !== 'escape' || failsAtRunTime(leak.path.cause)) : leaks;
    }

    /**
     * The value reaches a command whose reply callback carries the duty on
     * (`conn.scan(c, (err, reply) => { if (err) return done(err); …; pool.release(conn) })`):
     * each such callback, and those its own commands take, must give it back on every path.
     */
    function checkContinuations(loan: Loan, uses: LoanUses, continued: ReadonlySet<TSESTree.Node>, endsBefore: boolean, what: string, advice: string): void {
      const found: Leak[] = [];
      let endsSomewhere = endsBefore;
      const follow = (from: LoanUses, reached: ReadonlySet<TSESTree.Node>): void => {
        for (const [call, callback] of from.continuations) {
          const paths = callbackPaths.get(callback);
          if (!reached.has(call) || !paths) continue;
          const next = loan.continuedIn(callback);
          const nextUses = next.uses((start, targets, barriers) => paths.reaches(start, targets, barriers));
          const flow = next.flow(nextUses);
          if (flow.ends.size > nextUses.continuations.size) endsSomewhere = true;
          const nextReached = new Set<TSESTree.Node>();
          found.push(...leaksOf(paths, flow, nextUses, nextReached));
          follow(nextUses, nextReached);
        }
      };
      follow(uses, continued);
      if (found.length === 0) return;
      const { acquisition } = loan;
      recordTryFinallySkip(acquisition, 'it is released in a command callback; a try/finally around the acquire cannot cover that callback, so give it back on each of its paths by hand');
      if (!endsSomewhere) {
        reportUnreleased(acquisition);
        return;
      }
      const { messageId, data } = pickLeak(found, sourceCode);
      context.report({ node: acquisition.node, messageId, data: { what, advice, ...data } });
    }

    function suggestionsFor(loan: Loan, uses: LoanUses, wrap: FixPlan): TSESLint.SuggestionReportDescriptor<MessageIds>[] {
      const name = loan.binding.variable.name;
      const suggestions: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      if (wrap.type === 'rewrite') {
        suggestions.push({
          messageId: 'wrapInTryFinally',
          data: { name, verb: loan.acquisition.kind === 'loan' ? 'Release' : 'Close' },
          fix: fixOf(wrap.edits, sourceCode.text),
        });
      }
      // Offered, never recorded: the codemods reach the managed call through the try/finally plan and prefer-pool-use.
      const managed = planManagedCallForLeak(loan, uses, analysis, { rule: 'no-unreleased-connection', kind: 'managed-call', typescript });
      if (managed?.type === 'rewrite') {
        suggestions.push({ messageId: 'useManagedCall', data: { name, call: managed.description }, fix: fixOf(managed.edits, sourceCode.text) });
      }
      return suggestions;
    }

    /**
     * A loan from a lender with a managed form, released on every path but not by the `finally`
     * of a `try` right after it: the managed-call rewrite can't take it as it is.
     */
    function recordManagedShape(loan: Loan): void {
      const { acquisition } = loan;
      if (acquisition.kind !== 'loan' || !acquisition.lender || !managedMethodOf(acquisition.lender) || loan.binding.type !== 'variable') return;
      const def = loan.binding.variable.defs[0];
      // Only a loan taken by the declaration itself (`const conn = await pool.acquire()`).
      if (def?.type !== 'Variable' || !def.node.init || !within(acquisition.node, def.node.init)) return;
      const declaration = def.node.parent;
      if (declaration?.type !== AST_NODE_TYPES.VariableDeclaration || !declaration.parent || !('body' in declaration.parent) || !Array.isArray(declaration.parent.body)) return;
      const list = declaration.parent.body as TSESTree.Node[];
      const next = list[list.indexOf(declaration) + 1];
      if (next?.type === AST_NODE_TYPES.TryStatement && next.finalizer && next.finalizer.body.some((statement) => releasesLoan(statement, loan))) return;
      recordPlan({
        type: 'skip',
        rule: 'no-unreleased-connection',
        kind: 'managed-shape',
        ...declaration.loc.start,
        reason: 'it is released on every path, but not by a finally right after the acquire; reshape it by hand',
      });
    }

    /** A class's connection field nothing closes: made per call at `instantiation`, or (checkClassFields) whatever makes it. */
    function reportField(leak: { className: string | undefined; field: string; value: RedisValue; creation: TSESTree.Node; instantiation?: TSESTree.Node }): void {
      const { field } = leak;
      const what = describeValue(leak.value, undefined);
      if (leak.instantiation) {
        context.report({ node: leak.creation, messageId: 'instanceNeverClosed', data: { className: leak.className, field, what, line: lineOf(leak.instantiation) } });
      } else {
        context.report({ node: leak.creation, messageId: 'fieldNeverClosed', data: { className: leak.className ? `\`${leak.className}\`` : 'This class', field, what, methods: CLOSE_METHODS } });
      }
    }

    /** With checkClassFields every class with a field nothing closes; else only those a function of this file makes per call and drops. */
    function checkClass(node: TSESTree.ClassDeclaration | TSESTree.ClassExpression): void {
      if (!options.checkClassFields) {
        for (const leak of perCallClassLeaks(node, analysis)) reportField(leak);
        return;
      }
      for (const field of unclosedConnectionFields(node, analysis)) reportField({ ...field, className: node.id?.name });
    }

    function checkLifetimes(program: TSESTree.Program): void {
      for (const leak of constructorFunctionLeaks(program, analysis, options.checkClassFields === true)) reportField(leak);
      for (const leak of importedClassLeaks(program, analysis, context.filename, getModuleView(), moduleSettingsOf(context.settings.redis))) {
        context.report({
          node: leak.instantiation,
          messageId: 'importedInstanceNeverClosed',
          data: { className: leak.className, source: leak.source, field: leak.field, what: describeValue(leak.value, undefined) },
        });
      }
      for (const fault of lifetimeFaults(program, analysis, loanOptions)) {
        const what = describeValue(fault.value, undefined);
        if (fault.kind === 'recreated') {
          context.report({ node: fault.node, messageId: 'recreatedOnEveryCall', data: { what, place: fault.place, fn: fault.fn ? `\`${fault.fn}\`` : 'This function' } });
        } else if (fault.kind === 'overwritten') {
          context.report({ node: fault.node, messageId: 'overwrittenWhileOpen', data: { what, place: fault.place, line: fault.previousLine } });
        } else {
          context.report({ node: fault.node, messageId: 'droppedWhileOpen', data: { what, place: fault.place, line: fault.previousLine, empty: sourceCode.getText(fault.node.right) } });
        }
      }
    }

    // Every acquisition is found before the traversal, so that only the functions that own one
    // (and the reply callbacks in them) have their paths recorded, and a file with none records nothing.
    const program = sourceCode.ast;
    const found: Acquisition[] = [];
    for (const type of ACQUIRING_TYPES) {
      for (const node of nodesOfType(program, type)) {
        const acquisition = acquisitionAt(node, analysis);
        if (acquisition) found.push(acquisition);
      }
    }
    // In the order the traversal meets them (an enclosing node first), as plans are recorded.
    found.sort((a, b) => a.node.range[0] - b.node.range[0] || b.node.range[1] - a.node.range[1]).forEach(candidate);
    const owners = [...pending.keys()];
    const wanted = (fn: FunctionNode) => pending.has(fn) || (isTrailingCallback(fn) && owners.some((owner) => within(fn, owner)));
    return {
      ...((owners.length > 0 ? createPathRecorder(checkFunction, wanted) : {}) as TSESLint.RuleListener),
      'Program:exit': checkLifetimes,
      'ClassDeclaration:exit': checkClass,
      'ClassExpression:exit': checkClass,
    };
  },
});

/** The nodes that can acquire: a call or `new` that makes the value, tarn's `.promise`. */
const ACQUIRING_TYPES = [AST_NODE_TYPES.CallExpression, AST_NODE_TYPES.NewExpression, AST_NODE_TYPES.MemberExpression] as const;

/** `conn.get(key, (err, value) => …)`: a function given last to a method call. */
function isTrailingCallback(fn: FunctionNode): boolean {
  const { node, parent } = skipWrappersUp(fn);
  return parent?.type === AST_NODE_TYPES.CallExpression && parent.callee.type === AST_NODE_TYPES.MemberExpression && parent.arguments[parent.arguments.length - 1] === node;
}

const CLOSE_METHODS = [...CLOSE_METHOD_NAMES, '[Symbol.asyncDispose]', '[Symbol.dispose]'].join(', ');

/** Plans for loans whose lender has a managed form are told apart: managed-lifecycle fixes only those. */
function tryFinallyKind(acquisition: Acquisition): string {
  return acquisition.kind === 'loan' && acquisition.lender && managedMethodOf(acquisition.lender) ? 'try-finally:managed-lender' : 'try-finally';
}

/** The try/finally plan this acquisition can't have, and why. */
function recordTryFinallySkip(acquisition: Acquisition, reason: string): void {
  recordPlan({ type: 'skip', rule: 'no-unreleased-connection', kind: tryFinallyKind(acquisition), ...acquisition.node.loc.start, reason });
}

/** `pool.release(conn);`, `await lease.release();`: a statement that gives the loan back. */
function releasesLoan(statement: TSESTree.Node, loan: Loan): boolean {
  const expression = statement.type === AST_NODE_TYPES.ExpressionStatement ? statementCall(statement) : undefined;
  return expression?.type === AST_NODE_TYPES.CallExpression && loan.isReleasedBy(expression);
}

/** What to do about it, in the words of the library. */
function adviceFor(acquisition: Acquisition, sourceCode: Readonly<TSESLint.SourceCode>, partialClose?: string): string {
  if (partialClose) return `\`${partialClose}()\` ends only its main connection and leaves the blocking one open: close it with \`close()\`, in a finally block`;
  if (acquisition.kind === 'connection') return 'close it in a finally block, or hand it to an owner that does';
  const lender = acquisition.lender;
  const managed = lender && Object.entries(lender.library.values[lender.kind]?.methods ?? {}).find(([, spec]) => spec.type === 'managed');
  if (!managed) return 'release it in a finally block';
  const node = acquisition.node;
  const call = node.type === AST_NODE_TYPES.MemberExpression ? node.object : node;
  const callee = call.type === AST_NODE_TYPES.CallExpression ? call.callee : undefined;
  const owner = callee?.type === AST_NODE_TYPES.MemberExpression ? sourceCode.getText(callee.object) : undefined;
  const ownerName = owner && owner.length <= 30 && !owner.includes('\n') ? owner : lender.kind;
  return `release it in a finally block or use ${ownerName}.${managed[0]}()`;
}

/** A BullMQ Worker's `disconnect()` called on the value: a method that looks like a close but ends one connection of several. */
function partialCloseOf(loan: Loan, sourceCode: Readonly<TSESLint.SourceCode>): string | undefined {
  const value = loan.acquisition.value;
  return usesOf(loan.binding.variable, sourceCode).find((use) => use.kind === 'method-call' && leavesOwnConnectionsOpen(value, use.method))?.method;
}

/** The leak to report: normal paths first (they leak without any error), then exceptional ones; earliest line first. */
function pickLeak(leaks: Leak[], sourceCode: Readonly<TSESLint.SourceCode>): { messageId: MessageIds; data: Record<string, string | number> } {
  const ranked = leaks.map((leak) => ({ ...describeLeak(leak, sourceCode), line: lineOfLeak(leak) }));
  ranked.sort((a, b) => a.rank - b.rank || a.line - b.line);
  return ranked[0]!;
}

function lineOfLeak(leak: Leak): number {
  const path = leak.path;
  const anchor = path.cause ?? path.exit ?? (leak.kind === 'overwrite' ? leak.at : path.branch?.test);
  return anchor ? lineOf(anchor) : Number.MAX_SAFE_INTEGER;
}

/** How a leak is told, and its rank among the function's leaks (lowest first). */
function describeLeak(
  leak: Leak,
  sourceCode: Readonly<TSESLint.SourceCode>,
): { rank: number; messageId: MessageIds; data: Record<string, string | number> } {
  const path: HeldPath = leak.path;
  // A `throw` that leaves without releasing always leaks; any other exception only when it happens.
  if (path.cause?.type === AST_NODE_TYPES.ThrowStatement) {
    return { rank: 5, messageId: 'notReleasedOnThrowStatement', data: { line: lineOf(path.cause) } };
  }
  if (path.cause) {
    return { rank: 6, messageId: 'notReleasedOnThrow', data: { operation: operationOf(path.cause), line: lineOf(path.cause) } };
  }
  const exceptional = leak.kind === 'escape';
  if (path.exit?.type === AST_NODE_TYPES.ReturnStatement) {
    return { rank: exceptional ? 6 : 0, messageId: 'notReleasedOnReturn', data: { line: lineOf(path.exit) } };
  }
  if (path.exit) {
    const keyword = path.exit.type === AST_NODE_TYPES.BreakStatement ? 'break' : 'continue';
    return { rank: exceptional ? 6 : 1, messageId: 'notReleasedOnJump', data: { keyword, line: lineOf(path.exit) } };
  }
  if (leak.kind === 'overwrite') {
    return { rank: 2, messageId: 'notReleasedBeforeNextIteration', data: { line: lineOf(loopOf(leak.at) ?? leak.at) } };
  }
  if (path.branch) {
    const text = sourceCode.getText(path.branch.test);
    const test = text.length <= 40 && !text.includes('\n') ? `\`${text}\`` : 'the condition';
    return {
      rank: exceptional ? 6 : 3,
      messageId: 'notReleasedOnBranch',
      data: { test, outcome: path.branch.outcome ? 'true' : 'false', line: lineOf(path.branch.test) },
    };
  }
  return { rank: exceptional ? 6 : 4, messageId: 'notReleasedOnSomePath', data: {} };
}

function failsAtRunTime(cause: TSESTree.Node | undefined): boolean {
  return cause?.type === AST_NODE_TYPES.AwaitExpression || cause?.type === AST_NODE_TYPES.ThrowStatement;
}

function operationOf(node: TSESTree.Node): string {
  switch (node.type) {
    case AST_NODE_TYPES.AwaitExpression: {
      const inner = node.argument.type === AST_NODE_TYPES.ChainExpression ? node.argument.expression : node.argument;
      return inner.type === AST_NODE_TYPES.CallExpression ? 'the call' : 'the `await`';
    }
    case AST_NODE_TYPES.NewExpression:
      return 'the constructor call';
    case AST_NODE_TYPES.MemberExpression:
      return 'the property read';
    default:
      return 'the call';
  }
}

function loopOf(node: TSESTree.Node): TSESTree.Node | undefined {
  for (let current = node.parent; current && !isFunctionNode(current); current = current.parent) {
    if (isLoop(current)) return current;
  }
  return undefined;
}
