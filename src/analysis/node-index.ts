/**
 * Every node of a file by type, from one walk, shared by the passes that look at the whole file
 * (lifetimes, class connections, sharing, timeout needs): each used to walk the whole tree
 * itself, several times per file, and one of them once per constructor function.
 *
 * Kept per Program node (a WeakMap), so it lives exactly as long as the tree does: nothing stays
 * once ESLint drops the file, and a module the module view parses has its own.
 */
import type { AST_NODE_TYPES, TSESTree } from '@typescript-eslint/utils';
import { walk } from './ast';

type NodeOfType<T extends AST_NODE_TYPES> = Extract<TSESTree.Node, { type: T }>;

const indexes = new WeakMap<TSESTree.Program, Map<string, TSESTree.Node[]>>();

/** What ESLint (9 and later) keeps of its own traversal of a file: its steps, made once per file. */
interface TraversedSource {
  traverse?: () => Iterable<{ kind: number; phase?: number; target: unknown }>;
}
const sources = new WeakMap<TSESTree.Program, TraversedSource>();

/** Lets the index reuse ESLint's traversal of a linted file instead of walking the tree again. */
export function registerSource(program: TSESTree.Program, sourceCode: TraversedSource): void {
  sources.set(program, sourceCode);
}

function indexOf(program: TSESTree.Program): Map<string, TSESTree.Node[]> {
  let index = indexes.get(program);
  if (index) return index;
  const byType = (index = new Map<string, TSESTree.Node[]>());
  const add = (node: TSESTree.Node): void => {
    const list = byType.get(node.type);
    if (list) list.push(node);
    else byType.set(node.type, [node]);
  };
  const steps = sources.get(program)?.traverse?.();
  // A visit step (kind 1) entering a node (phase 1) comes in the order `walk` visits nodes.
  if (steps) {
    for (const step of steps) if (step.kind === 1 && step.phase === 1) add(step.target as TSESTree.Node);
  } else {
    walk(program, add);
  }
  indexes.set(program, index);
  return index;
}

/** The file's nodes of one type, in source order (the order `walk` visits them). Don't modify the array. */
export function nodesOfType<T extends AST_NODE_TYPES>(program: TSESTree.Program, type: T): readonly NodeOfType<T>[] {
  return (indexOf(program).get(type) ?? []) as NodeOfType<T>[];
}

/** The file's nodes of several types, in the order `walk` visits them (an enclosing node before the nodes in it). */
export function nodesOfTypes<T extends AST_NODE_TYPES>(program: TSESTree.Program, types: readonly T[]): NodeOfType<T>[] {
  const index = indexOf(program);
  const nodes: NodeOfType<T>[] = [];
  for (const type of types) for (const node of index.get(type) ?? []) nodes.push(node as NodeOfType<T>);
  if (types.length > 1) nodes.sort((a, b) => a.range[0] - b.range[0] || b.range[1] - a.range[1]);
  return nodes;
}
