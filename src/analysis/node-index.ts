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

function indexOf(program: TSESTree.Program): Map<string, TSESTree.Node[]> {
  let index = indexes.get(program);
  if (index) return index;
  index = new Map();
  const byType = index;
  walk(program, (node) => {
    const list = byType.get(node.type);
    if (list) list.push(node);
    else byType.set(node.type, [node]);
  });
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
