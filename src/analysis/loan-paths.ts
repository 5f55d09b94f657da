/**
 * Path analysis for loans, on ESLint's code paths. `createPathRecorder` records, per function,
 * the order in which nodes finish inside each code path segment; `findLeaks` follows one value
 * through those segments: where it becomes held, where it is released or handed over, and which
 * paths reach the end of the function, a loop's next iteration, or an exception leaving the
 * function while it is still held.
 *
 * ESLint's graph is exact for branches, loops, `return`, `break` and `continue`, but not meant
 * for exceptions: only the first node of a `try` block that may throw gets an edge to `catch`,
 * the normal end of a `try` block is merged into the paths that enter `catch` and into the
 * "leaving" copy of a `finally` block, and `break`/`continue` skip `finally` blocks. So this
 * module drops ESLint's exceptional edges (into a `catch`, and all but returns into the leaving
 * copy of a `finally`) and models exceptions itself: every operation that may throw while the
 * value is held sends the held paths to the innermost `catch` (through any `finally` on the way,
 * which clears them when it releases the value on all of its paths), or out of the function.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, isFunctionNode, isJumpTarget, within, type FunctionNode } from './ast';

type CodePath = TSESLint.CodePath;
type Segment = TSESLint.CodePathSegment;

/** A node finishing (or, for a few branch and handler nodes, starting) inside a segment. */
export interface Step {
  node: TSESTree.Node;
  enter: boolean;
}

interface Position {
  segment: Segment;
  index: number;
}

/** What ESLint's code path analysis says about one function, with the node order per segment. */
export class FunctionPaths {
  /** Node exits (and a few entries) per segment, in evaluation order. */
  readonly steps = new Map<Segment, Step[]>();
  /** The `try` statements of this function (not of the functions nested in it). */
  readonly tries: TSESTree.TryStatement[] = [];
  private index: { exits: Map<TSESTree.Node, Position[]>; enters: Map<TSESTree.Node, Position[]> } | undefined;
  private shape: GraphShape | undefined;

  constructor(
    readonly codePath: CodePath,
    readonly node: FunctionNode,
  ) {}

  /** Where a node finishes (one position per parallel segment). */
  exitsOf(node: TSESTree.Node): readonly Position[] {
    return this.positions().exits.get(node) ?? [];
  }

  /** Where a recorded branch or handler node starts. */
  entersOf(node: TSESTree.Node): readonly Position[] {
    return this.positions().enters.get(node) ?? [];
  }

  /** Where each node finishes and, for the recorded branch and handler nodes, starts. */
  positions(): NonNullable<FunctionPaths['index']> {
    if (this.index) return this.index;
    const exits = new Map<TSESTree.Node, Position[]>();
    const enters = new Map<TSESTree.Node, Position[]>();
    for (const [segment, steps] of this.steps) {
      steps.forEach((step, index) => {
        const map = step.enter ? enters : exits;
        const list = map.get(step.node);
        if (list) list.push({ segment, index });
        else map.set(step.node, [{ segment, index }]);
      });
    }
    this.index = { exits, enters };
    return this.index;
  }

  /**
   * Whether some normal path goes from the end of `from` to the end of one of `targets` without
   * finishing one of `barriers` first. Edges into a `catch` are exceptional and do not count.
   */
  reaches(from: TSESTree.Node, targets: ReadonlySet<TSESTree.Node>, barriers: ReadonlySet<TSESTree.Node>): boolean {
    const { catchEntries } = this.graph();
    const visited = new Set<Segment>();
    const stack: Position[] = this.exitsOf(from).map(({ segment, index }) => ({ segment, index: index + 1 }));
    while (stack.length > 0) {
      const { segment, index } = stack.pop()!;
      const steps = this.steps.get(segment) ?? [];
      let blocked = false;
      for (let i = index; i < steps.length; i++) {
        const step = steps[i]!;
        if (step.enter) continue;
        if (targets.has(step.node)) return true;
        if (barriers.has(step.node)) {
          blocked = true;
          break;
        }
      }
      if (blocked) continue;
      for (const next of segment.nextSegments) {
        if (visited.has(next) || catchEntries.has(next)) continue;
        visited.add(next);
        stack.push({ segment: next, index: 0 });
      }
    }
    return false;
  }

  /** The parts of the graph that do not depend on any one value. */
  graph(): GraphShape {
    this.shape ??= buildShape(this);
    return this.shape;
  }
}

type Listener = (...args: never[]) => void;

/**
 * Listeners that record the code paths of every function `wants`; `onFunction` runs when ESLint
 * has finished one (all of its nested functions are finished before it). Spread them into a rule's
 * listeners: they use only code-path events and the `*` / `*:exit` selectors.
 */
export function createPathRecorder(onFunction: (paths: FunctionPaths) => void, wants: (fn: FunctionNode) => boolean = () => true): Record<string, Listener> {
  interface Frame {
    paths: FunctionPaths | undefined;
    current: Set<Segment>;
  }
  const stack: Frame[] = [];
  const top = (): Frame | undefined => stack[stack.length - 1];

  const start = (segment: Segment): void => {
    const frame = top();
    if (!frame?.paths) return;
    frame.current.add(segment);
    frame.paths.steps.set(segment, []);
  };
  const end = (segment: Segment): void => {
    top()?.current.delete(segment);
  };
  const record = (node: TSESTree.Node, enter: boolean): void => {
    const frame = top();
    if (!frame?.paths) return;
    for (const segment of frame.current) frame.paths.steps.get(segment)?.push({ node, enter });
    if (!enter && node.type === AST_NODE_TYPES.TryStatement) frame.paths.tries.push(node);
  };

  return {
    onCodePathStart: ((codePath: CodePath, node: TSESTree.Node) => {
      // A class field's initializer has a code path of its own that starts at the same node
      // as an arrow function it holds (ESLint 8.57+ says which one through `origin`).
      const origin = (codePath as { origin?: string }).origin;
      const isFunction = isFunctionNode(node) && (origin === undefined || origin === 'function');
      stack.push({ paths: isFunction && wants(node) ? new FunctionPaths(codePath, node) : undefined, current: new Set() });
    }) as Listener,
    onCodePathEnd: (() => {
      const frame = stack.pop();
      if (frame?.paths) onFunction(frame.paths);
    }) as Listener,
    onCodePathSegmentStart: start as Listener,
    onCodePathSegmentEnd: end as Listener,
    onUnreachableCodePathSegmentStart: start as Listener,
    onUnreachableCodePathSegmentEnd: end as Listener,
    '*': ((node: TSESTree.Node) => {
      if (isMarker(node)) record(node, true);
    }) as Listener,
    '*:exit': ((node: TSESTree.Node) => record(node, false)) as Listener,
  };
}

/** Nodes whose start matters: handler entries and the first node of each branch. */
function isMarker(node: TSESTree.Node): boolean {
  const parent = node.parent;
  if (!parent) return false;
  switch (parent.type) {
    case AST_NODE_TYPES.TryStatement:
      return parent.handler === node || parent.finalizer === node;
    case AST_NODE_TYPES.IfStatement:
    case AST_NODE_TYPES.ConditionalExpression:
      return parent.consequent === node || parent.alternate === node;
    case AST_NODE_TYPES.LogicalExpression:
      return parent.right === node;
    default:
      return false;
  }
}

/** A branch taken on an edge: the test and the outcome that leads there. */
export interface Branch {
  test: TSESTree.Node;
  outcome: boolean;
}

interface GraphShape {
  /** Segments that start a `catch` clause: every ESLint edge into them is exceptional. */
  catchEntries: Set<Segment>;
  catchEntryOf: Map<TSESTree.CatchClause, Segment[]>;
  /** The "leaving" copies of `finally` blocks (reached by return, throw and ESLint's merges). */
  leaving: Set<Segment>;
  /** Where the normal copy of each `finally` block starts. */
  finallyEntry: Map<TSESTree.BlockStatement, Position[]>;
  /** Branch outcome per edge. */
  edges: Map<Segment, Map<Segment, Branch>>;
  /** Segments the function really ends in (a `yield` also makes a segment final, but it goes on). */
  exits: Set<Segment>;
  reachable: Segment[];
}

function buildShape(paths: FunctionPaths): GraphShape {
  const catchEntries = new Set<Segment>();
  const catchEntryOf = new Map<TSESTree.CatchClause, Segment[]>();
  const leaving = new Set<Segment>();
  const finallyEntry = new Map<TSESTree.BlockStatement, Position[]>();
  // A `finally` block runs on every path that is current when it starts. When a `return` or
  // `throw` leaves the try or catch block, ESLint runs it on twice the parallel paths the `try`
  // statement runs on (counted where it ends): the normal copies first, then as many leaving
  // copies. Otherwise every path through it is normal.
  for (const tryStatement of paths.tries) {
    const handler = tryStatement.handler;
    if (handler) {
      // ESLint starts the paths into a `catch` where it enters it.
      const segments = paths.entersOf(handler).map(({ segment }) => segment);
      catchEntryOf.set(handler, segments);
      for (const segment of segments) catchEntries.add(segment);
    }
    const finalizer = tryStatement.finalizer;
    if (!finalizer) continue;
    const entries = [...paths.entersOf(finalizer)];
    const parallel = paths.exitsOf(tryStatement).length;
    const split = parallel > 0 && entries.length === 2 * parallel ? parallel : entries.length;
    entries.slice(split).forEach(({ segment }) => leaving.add(segment));
    finallyEntry.set(finalizer, entries.slice(0, split));
  }

  const edges = new Map<Segment, Map<Segment, Branch>>();
  const label = (from: Segment, to: Segment, branch: Branch): void => {
    let map = edges.get(from);
    if (!map) edges.set(from, (map = new Map()));
    if (!map.has(to)) map.set(to, branch);
  };
  for (const [node, positions] of paths.positions().enters) {
    const parent = node.parent!;
    let test: TSESTree.Node;
    let outcome: boolean;
    let exclusive: boolean;
    if (parent.type === AST_NODE_TYPES.IfStatement || parent.type === AST_NODE_TYPES.ConditionalExpression) {
      test = parent.test;
      outcome = parent.consequent === node;
      exclusive = parent.alternate === null || parent.alternate === undefined;
    } else if (parent.type === AST_NODE_TYPES.LogicalExpression && parent.operator !== '??') {
      test = parent.left;
      outcome = parent.operator === '&&';
      exclusive = true;
    } else {
      continue;
    }
    const targets = new Set(positions.map((position) => position.segment));
    for (const { segment: from } of paths.exitsOf(test)) {
      for (const to of from.nextSegments) {
        if (targets.has(to)) label(from, to, { test, outcome });
        else if (exclusive && !catchEntries.has(to)) label(from, to, { test, outcome: !outcome });
      }
    }
  }

  const reachable: Segment[] = [];
  const seen = new Set<Segment>();
  const queue = [paths.codePath.initialSegment];
  while (queue.length > 0) {
    const segment = queue.shift()!;
    if (seen.has(segment)) continue;
    seen.add(segment);
    reachable.push(segment);
    queue.push(...segment.nextSegments);
  }
  const exits = new Set(paths.codePath.finalSegments.filter((segment) => segment.nextSegments.length === 0));
  return { catchEntries, catchEntryOf, leaving, finallyEntry, edges, exits, reachable };
}

/** What one value's steps mean, as the caller recognised them. */
export interface LoanFlow {
  /** Steps (node exits) that make a new value; reaching one while the last is held loses it. */
  creations: ReadonlySet<TSESTree.Node>;
  /** Steps after which the value is held. */
  acquisitions: ReadonlySet<TSESTree.Node>;
  /** The value is held from the start of the function (a `.then` callback's parameter). */
  heldAtStart: boolean;
  /** Steps that end this function's duty: a release, or ownership handed elsewhere. */
  ends: ReadonlySet<TSESTree.Node>;
  /** Of `ends`, the commands whose reply callback carries the duty on (see `findLeaks`' `continued`). */
  continuations?: ReadonlySet<TSESTree.Node>;
  /** Whether a step may throw (asked only while the value is held). */
  mayThrow(node: TSESTree.Node): boolean;
  /** For a branch test: the outcome that proves the value is not held (`if (client)` → false). */
  notHeldWhen(test: TSESTree.Node): boolean | undefined;
  /**
   * Whether a branch test reads the value's own state (`client.isOpen`, `redis.status`): the
   * branch that skips every release is then taken to mean the value is closed already.
   */
  readsState(test: TSESTree.Node): boolean;
}

/** One path on which the value is still held. */
export interface HeldPath {
  /** The operation whose exception this path follows. */
  cause?: TSESTree.Node;
  /** The last `return`, `break` or `continue` the path went through. */
  exit?: TSESTree.ReturnStatement | TSESTree.BreakStatement | TSESTree.ContinueStatement;
  /** The last branch where this path left the paths that release the value. */
  branch?: Branch;
}

export type Leak =
  /** The path reaches the end of the function. */
  | { kind: 'exit'; path: HeldPath }
  /** The path comes back to where the value is made (a loop) and the new value replaces it. */
  | { kind: 'overwrite'; at: TSESTree.Node; path: HeldPath }
  /** An exception thrown at `path.cause` leaves the function. */
  | { kind: 'escape'; path: HeldPath };

type Paths = Map<string, HeldPath>;

const HELD: HeldPath = {};

/**
 * Every way the value can still be held when control leaves the function or overwrites it.
 * `continued` receives the `flow.continuations` some path reaches with the value held.
 */
export function findLeaks(paths: FunctionPaths, flow: LoanFlow, continued?: Set<TSESTree.Node>): Leak[] {
  const graph = paths.graph();
  const entry = new Map<Segment, Paths>();
  const leaks = new Map<string, Leak>();
  const queue: Segment[] = [];
  const queued = new Set<Segment>();
  const finallyReleases = new Map<TSESTree.BlockStatement, boolean>();
  let releasing: Set<Segment> | undefined;

  const enqueue = (segment: Segment): void => {
    if (queued.has(segment)) return;
    queued.add(segment);
    queue.push(segment);
  };
  // A path starts holding the value only where it is made: the other segments are reached by
  // propagation, so one value's walk covers its life, not the whole function.
  const starts = new Set([...flow.creations, ...flow.acquisitions].flatMap((node) => paths.exitsOf(node).map(({ segment }) => segment)));
  for (const segment of graph.reachable) if (starts.has(segment)) enqueue(segment);
  if (flow.heldAtStart) enter(paths.codePath.initialSegment, single(HELD));

  while (queue.length > 0) {
    const segment = queue.shift()!;
    queued.delete(segment);
    run(segment);
  }
  return [...leaks.values()];

  function run(segment: Segment): void {
    let held: Paths = new Map(entry.get(segment) ?? []);
    for (const step of paths.steps.get(segment) ?? []) {
      if (!step.enter) held = apply(step.node, held);
    }
    if (graph.exits.has(segment)) {
      for (const path of held.values()) leak({ kind: 'exit', path });
    }
    for (const next of segment.nextSegments) propagate(segment, next, held);
  }

  function apply(node: TSESTree.Node, held: Paths): Paths {
    if (flow.ends.has(node)) {
      if (held.size > 0 && flow.continuations?.has(node)) continued?.add(node);
      return new Map();
    }
    if (flow.creations.has(node)) {
      for (const path of held.values()) leak({ kind: 'overwrite', at: node, path });
      return flow.acquisitions.has(node) ? single(HELD) : new Map();
    }
    if (flow.acquisitions.has(node)) return held.size > 0 ? held : single(HELD);
    if (held.size === 0) return held;
    switch (node.type) {
      case AST_NODE_TYPES.ReturnStatement:
        return mapPaths(held, (path) => ({ ...path, exit: node }));
      case AST_NODE_TYPES.BreakStatement:
      case AST_NODE_TYPES.ContinueStatement:
        // ESLint sends break/continue straight to their target, past any `finally` on the way.
        if (crossedFinalizers(node).some(releasesInFinally)) return new Map();
        // Only a jump out of the statement that acquires the value leaves it behind; one that
        // stays inside the value's life (a `continue` of a loop it outlives) is no exit of it.
        if (!leavesAcquisition(node)) return held;
        return mapPaths(held, (path) => ({ ...path, exit: node }));
      case AST_NODE_TYPES.ThrowStatement:
        raise(node);
        return new Map();
      default:
        if (flow.mayThrow(node)) raise(node);
        return held;
    }
  }

  /** An exception at `node` while the value is held. */
  function raise(node: TSESTree.Node): void {
    const target = exceptionTarget(node);
    const path: HeldPath = { cause: node };
    if (target === 'escapes') leak({ kind: 'escape', path });
    else if (target !== 'released') {
      for (const segment of graph.catchEntryOf.get(target) ?? []) enter(segment, single(path));
    }
  }

  /** Where an exception thrown at `node` goes: a catch clause, out of the function, or nowhere held. */
  function exceptionTarget(node: TSESTree.Node): TSESTree.CatchClause | 'escapes' | 'released' {
    let child = node;
    for (let parent: TSESTree.Node | undefined = node.parent; parent && child !== paths.node; child = parent, parent = parent.parent) {
      if (parent.type !== AST_NODE_TYPES.TryStatement) continue;
      if (child === parent.block && parent.handler) return parent.handler;
      if ((child === parent.block || child === parent.handler) && parent.finalizer && releasesInFinally(parent.finalizer)) {
        return 'released';
      }
    }
    return 'escapes';
  }

  function propagate(from: Segment, to: Segment, held: Paths): void {
    if (graph.catchEntries.has(to)) return;
    let next = held;
    if (graph.leaving.has(to)) next = new Map([...next].filter(([, path]) => path.exit?.type === AST_NODE_TYPES.ReturnStatement));
    if (next.size === 0) return;
    const branch = graph.edges.get(from)?.get(to);
    if (branch) {
      if (skipsAsNotHeld(from, to, branch)) return;
      if (leavesReleasingPaths(from, to)) next = mapPaths(next, (path) => ({ ...path, branch }));
    }
    enter(to, next);
  }

  /** Adds paths held where a segment starts (propagated, or an exception caught there); it runs again if one is new. */
  function enter(segment: Segment, add: Paths): void {
    let current = entry.get(segment);
    if (!current) entry.set(segment, (current = new Map()));
    let changed = false;
    for (const [key, path] of add) {
      if (!current.has(key)) {
        current.set(key, path);
        changed = true;
      }
    }
    if (changed) enqueue(segment);
  }

  /** Whether taking this edge proves (or, for a state test, is taken to mean) the value is not held. */
  function skipsAsNotHeld(from: Segment, to: Segment, branch: Branch): boolean {
    if (flow.notHeldWhen(branch.test) === branch.outcome) return true;
    return flow.readsState(branch.test) && leavesReleasingPaths(from, to);
  }

  /** The edge leaves every path that releases, where another edge from the same branch takes one. */
  function leavesReleasingPaths(from: Segment, to: Segment): boolean {
    releasing ??= segmentsThatEnd();
    return !releasing.has(to) && from.nextSegments.some((other) => other !== to && releasing!.has(other));
  }

  function leak(found: Leak): void {
    const key = `${found.kind}|${found.kind === 'overwrite' ? rangeKey(found.at) : ''}|${keyOf(found.path)}`;
    if (!leaks.has(key)) leaks.set(key, found);
  }

  /**
   * Whether a `finally` block releases the value on every path through it, as a value held on
   * entry: follows its normal copy from the start to its end.
   */
  function releasesInFinally(finalizer: TSESTree.BlockStatement): boolean {
    const known = finallyReleases.get(finalizer);
    if (known !== undefined) return known;
    finallyReleases.set(finalizer, false);
    const visited = new Set<Segment>();
    let survives = false;
    const follow = (segment: Segment, from: number): void => {
      const steps = paths.steps.get(segment) ?? [];
      for (let i = from; i < steps.length; i++) {
        const step = steps[i]!;
        if (step.enter) continue;
        if (step.node === finalizer) {
          survives = true;
          return;
        }
        if (flow.ends.has(step.node)) return;
        if (
          (step.node.type === AST_NODE_TYPES.BreakStatement || step.node.type === AST_NODE_TYPES.ContinueStatement) &&
          crossedFinalizers(step.node).some((other) => other !== finalizer && releasesInFinally(other))
        ) {
          return;
        }
      }
      if (graph.exits.has(segment)) {
        survives = true;
        return;
      }
      for (const next of segment.nextSegments) {
        if (survives) return;
        if (graph.catchEntries.has(next) || visited.has(next)) continue;
        const branch = graph.edges.get(segment)?.get(next);
        if (branch && skipsAsNotHeld(segment, next, branch)) continue;
        visited.add(next);
        follow(next, 0);
      }
    };
    for (const { segment, index } of graph.finallyEntry.get(finalizer) ?? []) {
      if (survives) break;
      visited.add(segment);
      follow(segment, index);
    }
    const result = !survives && (graph.finallyEntry.get(finalizer)?.length ?? 0) > 0;
    finallyReleases.set(finalizer, result);
    return result;
  }

  /** The `finally` blocks a break or continue leaves on its way to its target. */
  function crossedFinalizers(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement): TSESTree.BlockStatement[] {
    const crossed: TSESTree.BlockStatement[] = [];
    let child: TSESTree.Node = jump;
    for (let parent: TSESTree.Node | undefined = jump.parent; parent && child !== paths.node; child = parent, parent = parent.parent) {
      if (isJumpTarget(jump, parent)) break;
      if (parent.type === AST_NODE_TYPES.TryStatement && parent.finalizer && child !== parent.finalizer) {
        crossed.push(parent.finalizer);
      }
    }
    return crossed;
  }

  /** Whether the jump's target (a loop, a `switch`, a labelled statement) contains where the value is made. */
  function leavesAcquisition(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement): boolean {
    let target: TSESTree.Node | undefined = jump.parent;
    while (target && target !== paths.node && !isJumpTarget(jump, target)) target = target.parent;
    if (!target || target === paths.node) return true;
    const reached = target;
    return [...flow.creations].some((node) => within(node, reached));
  }

  /** Segments from which some path reaches a step that ends the duty. */
  function segmentsThatEnd(): Set<Segment> {
    const result = new Set<Segment>();
    const stack: Segment[] = [];
    for (const node of flow.ends) {
      for (const { segment } of paths.exitsOf(node)) stack.push(segment);
    }
    while (stack.length > 0) {
      const segment = stack.pop()!;
      if (result.has(segment)) continue;
      result.add(segment);
      if (graph.catchEntries.has(segment)) continue;
      stack.push(...segment.prevSegments);
    }
    return result;
  }
}

function single(path: HeldPath): Paths {
  return new Map([[keyOf(path), path]]);
}

function mapPaths(held: Paths, map: (path: HeldPath) => HeldPath): Paths {
  const result: Paths = new Map();
  for (const path of held.values()) {
    const mapped = map(path);
    result.set(keyOf(mapped), mapped);
  }
  return result;
}

function keyOf(path: HeldPath): string {
  return [
    path.cause ? rangeKey(path.cause) : '',
    path.exit ? rangeKey(path.exit) : '',
    path.branch ? `${rangeKey(path.branch.test)}${path.branch.outcome ? '+' : '-'}` : '',
  ].join('|');
}

function rangeKey(node: TSESTree.Node): string {
  return `${node.type}@${node.range[0]}:${node.range[1]}`;
}
