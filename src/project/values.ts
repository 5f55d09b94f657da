/**
 * What the project-wide resolver says an expression is. The shapes mirror src/analysis/origin.ts,
 * but over the TypeScript AST of a whole program, and with one addition the single-file analysis
 * does not need: a value made inside a factory function or a class carries the call or `new`
 * sites that instantiated it (`path`), so `makeClient()` called twice is two connections.
 */
import {
  Node,
  type ArrowFunction,
  type ClassDeclaration,
  type ClassExpression,
  type ConstructorDeclaration,
  type FunctionDeclaration,
  type FunctionExpression,
  type GetAccessorDeclaration,
  type MethodDeclaration,
  type ObjectLiteralExpression,
} from 'ts-morph';
import type { ExportSpec, LibraryCatalog, OptionsPosition, ValueKind } from '../catalog';

/** A function whose calls can be followed: its parameters and its returns. */
export type FunctionLike =
  | FunctionDeclaration
  | FunctionExpression
  | ArrowFunction
  | MethodDeclaration
  | ConstructorDeclaration
  | GetAccessorDeclaration;

export type ClassLike = ClassDeclaration | ClassExpression;

/** Where a creation's options sit among its arguments (from the catalog entry that made it). */
export interface CreationSpec {
  optionsArg?: OptionsPosition;
  poolOptionsArg?: OptionsPosition;
  resourceFactoryArg?: number;
  nodeOptionsKey?: string;
  /** The options can't be read (a subclass constructor may pass anything to `super`). */
  opaque?: boolean;
}

/** A Redis client, cluster, sentinel, pool, lease or consumer whose origin is known. */
export interface Value {
  library: LibraryCatalog;
  kind: ValueKind;
  /** The call or `new` that made it: with `path`, the identity of the value. */
  creation: Node;
  /**
   * The call and `new` sites that instantiated the function or class the creation sits in,
   * innermost first. Empty for a creation that is not inside a factory (or whose factory's
   * callers are not known).
   */
  path: readonly Node[];
  how: 'factory' | 'constructor' | 'method' | 'subclass';
  spec: CreationSpec;
  /** The duplicate's source, or the pool (or client, for an isolated lease) a lease came from. */
  parent?: Value;
  /** `duplicate(overrides)` starts from the parent's options. */
  inheritsFrom?: Value;
  /** A node-redis 4 `executeIsolated` client: runs on the isolation pool, not the connection. */
  isolated?: boolean;
  /**
   * Declarations the value was read through (variables, fields, properties), to tell a fresh
   * value returned by a factory from a stored one (a lazily created singleton).
   */
  via: readonly Node[];
}

/** A user-written class instance (`new Service()`), whose fields may hold connections. */
export interface Instance {
  cls: ClassLike;
  creation: Node;
  path: readonly Node[];
  via: readonly Node[];
}

export type Origin =
  /** A client library module (`import * as IORedis from 'ioredis'`, `require('redis')`). */
  | { type: 'module'; library: LibraryCatalog; commonjs: boolean }
  /** A factory, class, static or helper of a library. */
  | { type: 'export'; library: LibraryCatalog; spec: ExportSpec; name: string }
  | { type: 'value'; value: Value }
  | { type: 'instance'; instance: Instance }
  /** A user function: calls to it are followed into its returns. */
  | { type: 'function'; node: FunctionLike }
  /** A user class; `base` when it extends a library class (`class Cache extends Redis`). */
  | { type: 'class'; node: ClassLike; base?: { library: LibraryCatalog; spec: ExportSpec } }
  /** An object literal: member reads follow its properties. */
  | { type: 'object'; node: ObjectLiteralExpression }
  /** Parameter `index` of `fn` (and a property path inside it): known per call site only. */
  | { type: 'param'; fn: FunctionLike; index: number; members: readonly string[] };

/** The node whose enclosing code decides how often a value is made: the outermost site. */
export function anchorOf(value: { creation: Node; path: readonly Node[] }): Node {
  return value.path.length > 0 ? value.path[value.path.length - 1]! : value.creation;
}

const nodeIds = new WeakMap<Node, string>();

/** A stable id for a node: its file, span and kind (`a` and `a.b` start at the same offset). */
export function nodeId(node: Node): string {
  let id = nodeIds.get(node);
  if (id === undefined) {
    id = `${node.getSourceFile().getFilePath()}#${node.getStart()}-${node.getEnd()}-${node.getKind()}`;
    nodeIds.set(node, id);
  }
  return id;
}

/** Two values are the same connection (or loan) when their keys are equal. */
export function keyOf(value: { creation: Node; path: readonly Node[] }): string {
  return [value.creation, ...value.path].map(nodeId).join('>');
}

/** Whether `node` lies inside `container` (same file, within its text). */
export function isInside(node: Node, container: Node): boolean {
  return (
    node.getSourceFile() === container.getSourceFile() &&
    node.getPos() >= container.getPos() &&
    node.getEnd() <= container.getEnd()
  );
}

export function isFunctionLike(node: Node | undefined): node is FunctionLike {
  return (
    Node.isFunctionDeclaration(node) ||
    Node.isFunctionExpression(node) ||
    Node.isArrowFunction(node) ||
    Node.isMethodDeclaration(node) ||
    Node.isConstructorDeclaration(node) ||
    Node.isGetAccessorDeclaration(node)
  );
}

export function isClassLike(node: Node | undefined): node is ClassLike {
  return Node.isClassDeclaration(node) || Node.isClassExpression(node);
}
