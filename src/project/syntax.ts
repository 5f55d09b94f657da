/** Small helpers over the ts-morph AST and symbols, shared by the resolver and the evaluator. */
import { Node, SyntaxKind, type SourceFile, type Symbol as MorphSymbol } from 'ts-morph';
import type { FunctionLike } from './values';
import { isFunctionLike } from './values';

const PACKAGE_IN_PATH = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/g;

/** The npm package a file belongs to (the innermost `node_modules/<pkg>`), if any. */
export function packageOf(filePath: string): string | undefined {
  let name: string | undefined;
  for (const match of filePath.matchAll(PACKAGE_IN_PATH)) name = match[1]?.replace(/\\/g, '/');
  return name;
}

/** Code the report analyses: not a declaration file, not a dependency. */
export function isProjectSource(file: SourceFile): boolean {
  return !file.isDeclarationFile() && packageOf(file.getFilePath()) === undefined;
}

/** Whether a symbol is declared only in declaration files (lib globals, dependencies' types). */
export function isAmbient(symbol: MorphSymbol | undefined): boolean {
  if (!symbol) return true;
  const declarations = symbol.getDeclarations();
  return declarations.length === 0 || declarations.every((d) => d.getSourceFile().isDeclarationFile());
}

/** An identifier that names a built-in global (`Math`, `Number`, `undefined`), not a user binding. */
export function isGlobalIdentifier(node: Node): boolean {
  if (!Node.isIdentifier(node)) return false;
  const symbol = node.getSymbol();
  return !symbol || (!symbol.isAlias() && isAmbient(symbol));
}

/** Strips what does not change a value at run time: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    if (
      Node.isParenthesizedExpression(current) ||
      Node.isAsExpression(current) ||
      Node.isNonNullExpression(current) ||
      Node.isSatisfiesExpression(current) ||
      Node.isTypeAssertion(current)
    ) {
      current = current.getExpression();
    } else {
      return current;
    }
  }
}

/** As `unwrap`, and also through `await`: the resolver treats a promise of a value as the value. */
export function unwrapAwait(node: Node): Node {
  let current = unwrap(node);
  while (Node.isAwaitExpression(current)) current = unwrap(current.getExpression());
  return current;
}

/** The static text of a property name or key: `a`, `'a'`, `1`, `['a']`, `#a`. */
export function staticName(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  if (Node.isIdentifier(node) || Node.isPrivateIdentifier(node)) return node.getText();
  if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return node.getLiteralValue();
  if (Node.isNumericLiteral(node)) return String(node.getLiteralValue());
  if (Node.isComputedPropertyName(node)) return staticName(unwrap(node.getExpression()));
  return undefined;
}

/** `a.b` or `a['b']`: the object and the static member name. */
export function memberAccess(node: Node): { object: Node; name: string; nameNode: Node } | undefined {
  if (Node.isPropertyAccessExpression(node)) {
    return { object: node.getExpression(), name: node.getName(), nameNode: node.getNameNode() };
  }
  if (Node.isElementAccessExpression(node)) {
    const argument = node.getArgumentExpression();
    const name = argument ? staticName(unwrap(argument)) : undefined;
    return name === undefined || !argument ? undefined : { object: node.getExpression(), name, nameNode: argument };
  }
  return undefined;
}

/** `require('x')` (or `module.require('x')`) with a string literal: the specifier. */
export function requireSpecifier(node: Node): string | undefined {
  if (!Node.isCallExpression(node)) return undefined;
  const callee = unwrap(node.getExpression());
  const named =
    (Node.isIdentifier(callee) && callee.getText() === 'require') ||
    (Node.isPropertyAccessExpression(callee) &&
      callee.getName() === 'require' &&
      callee.getExpression().getText() === 'module');
  const args = node.getArguments();
  const first = args[0];
  if (!named || args.length !== 1 || !first) return undefined;
  return Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first) ? first.getLiteralValue() : undefined;
}

/** `import('x')` with a string literal: the specifier. */
export function dynamicImportSpecifier(node: Node): string | undefined {
  if (!Node.isCallExpression(node) || node.getExpression().getKind() !== SyntaxKind.ImportKeyword) return undefined;
  const first = node.getArguments()[0];
  return first && (Node.isStringLiteral(first) || Node.isNoSubstitutionTemplateLiteral(first))
    ? first.getLiteralValue()
    : undefined;
}

/** `null`, `undefined` or `void 0`: a write that holds no value. */
export function isNullish(node: Node): boolean {
  const inner = unwrap(node);
  return (
    inner.getKind() === SyntaxKind.NullKeyword ||
    (Node.isIdentifier(inner) && inner.getText() === 'undefined' && isGlobalIdentifier(inner)) ||
    Node.isVoidExpression(inner)
  );
}

/** The expressions a function returns: its own `return`s and an arrow's expression body. */
export function returnedExpressions(fn: FunctionLike): Node[] {
  if (Node.isArrowFunction(fn)) {
    const body = fn.getBody();
    if (!Node.isBlock(body)) return [body];
  }
  const body = fn.getBody();
  if (!body) return [];
  const results: Node[] = [];
  body.forEachDescendant((node, traversal) => {
    if (isFunctionLike(node) || Node.isClassDeclaration(node) || Node.isClassExpression(node)) {
      traversal.skip();
      return;
    }
    if (Node.isReturnStatement(node)) {
      const expression = node.getExpression();
      if (expression) results.push(expression);
    }
  });
  return results;
}

/** The innermost function or class member whose body holds the node (undefined: module level). */
export function enclosingFunction(node: Node): FunctionLike | undefined {
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (isFunctionLike(current)) return current;
  }
  return undefined;
}

/**
 * Code that runs once per module load: not inside a function, and not in an instance field
 * initializer (which runs per instance).
 */
export function isModuleLevel(node: Node): boolean {
  for (let current = node.getParent(); current; current = current.getParent()) {
    if (isFunctionLike(current)) return false;
    if (Node.isPropertyDeclaration(current) && !current.isStatic()) return false;
  }
  return true;
}

/** The 1-based line and column of a node's first token. */
export function positionOf(node: Node): { line: number; column: number } {
  const { line, column } = node.getSourceFile().getLineAndColumnAtPos(node.getStart());
  return { line, column };
}
