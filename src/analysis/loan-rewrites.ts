/**
 * The managed-call suggestion for a leaked loan: move the code that uses it into the lender's
 * managed call (`await pool.use(async (conn) => { … })`) in one step. (The try/finally plan, which
 * the codemods apply, is `fix/try-finally.ts`.)
 *
 * Two layers: `planLoanRewrite` decides, on ESLint's AST and scopes, which statements move and
 * whether moving them keeps their meaning; `managedCallText` builds the new text from plain
 * offsets into the source.
 */
import { AST_NODE_TYPES, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { isFunctionNode, skipWrappersUp, unwrapExpression, walk } from './ast';
import type { RedisAnalysis } from './context';
import { findVariableFor } from './scope';
import { insideTry, managedMethodOf, releaseMethodFor, type Loan, type LoanUses } from './loans';

export type TextRange = readonly [number, number];

/** The statements that move into the new block, as offsets into the source text. */
export interface MovedCode {
  /** The whole source text. */
  text: string;
  /** From the start of the first moved statement (or the end of what stays) to the end of the last. */
  range: TextRange;
  /** Statements inside `range` that are dropped (the releases that move to `finally`). */
  omit: readonly TextRange[];
  /** Ranges whose lines keep their indentation (multi-line template literals). */
  verbatim: readonly TextRange[];
  /** The indentation of the statement being replaced. */
  indent: string;
  /** One level of indentation as the file uses it. */
  unit: string;
}

/**
 * `<prefix><owner>.<method>(async (<param>) => {\n  <moved>\n});`. The result replaces the
 * declaration that took the loan together with `code.range`.
 */
export function managedCallText(
  code: MovedCode,
  call: { prefix: string; owner: string; method: string; param: string },
): string {
  return `${call.prefix}${call.owner}.${call.method}(async (${call.param}) => {\n${movedBody(code)}\n${code.indent}});`;
}

/** The moved statements, one level deeper, without the omitted ones and surrounding blank space. */
export function movedBody(code: MovedCode): string {
  const { text, indent, unit } = code;
  const pieces: [number, number][] = [];
  let cursor = code.range[0];
  for (const [start, end] of [...code.omit].sort((a, b) => a[0] - b[0])) {
    const [from, to] = widenToLines(text, start, end);
    pieces.push([cursor, Math.max(cursor, from)]);
    cursor = Math.max(cursor, to);
  }
  pieces.push([cursor, code.range[1]]);
  let raw = '';
  let lineStart = false;
  for (const [from, to] of pieces) {
    for (let i = from; i < to; i++) {
      const char = text[i]!;
      if (lineStart) {
        lineStart = false;
        if (char !== '\n' && char !== '\r' && !code.verbatim.some(([s, e]) => i > s && i < e)) raw += unit;
      }
      raw += char;
      if (char === '\n') lineStart = true;
    }
  }
  const trimmed = raw.replace(/^\s+/, '').trimEnd();
  return `${indent}${unit}${trimmed}`;
}

/** A statement alone on its lines takes its whole lines (and the line break) with it. */
function widenToLines(text: string, start: number, end: number): [number, number] {
  let from = start;
  while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
  let to = end;
  while (to < text.length && (text[to] === ' ' || text[to] === '\t')) to++;
  const ownsLine = (from === 0 || text[from - 1] === '\n') && (to === text.length || text[to] === '\n' || text[to] === '\r');
  if (!ownsLine) return [start, end];
  if (text[to] === '\r') to++;
  if (text[to] === '\n') to++;
  return [from, to];
}

/** The whitespace before the first non-blank character of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))?.[0] ?? '';
}

/** One indentation level: how far a block's body sits inside its own line, or two spaces. */
export function indentUnitOf(text: string, block: TSESTree.BlockStatement): string {
  const outer = indentationAt(text, block.range[0]);
  const first = block.body[0];
  if (first) {
    const inner = indentationAt(text, first.range[0]);
    if (inner.startsWith(outer) && inner.length > outer.length) return inner.slice(outer.length);
  }
  return outer.includes('\t') ? '\t' : '  ';
}

export interface LoanRewritePlan {
  declaration: TSESTree.VariableDeclaration;
  block: TSESTree.BlockStatement;
  /** Set-up statements that stay before the `try` (`client.on('error', …)`, `await client.connect()`). */
  head: TSESTree.Statement[];
  /** The statements that move, up to the end of the block. */
  tail: TSESTree.Statement[];
  /** The release statements in `tail` that move to `finally` (or that a managed call replaces). */
  releases: TSESTree.ExpressionStatement[];
}

/**
 * Which statements a rewrite moves, when the loan is bound by `const x = …;` in a block, every
 * release of it is a statement of that block, and nothing hands it over. Undefined otherwise.
 */
export function planLoanRewrite(loan: Loan, uses: LoanUses, analysis: RedisAnalysis): LoanRewritePlan | undefined {
  if (loan.binding.type !== 'variable') return undefined;
  const def = loan.binding.variable.defs[0];
  if (def?.type !== 'Variable' || loan.binding.variable.defs.length !== 1) return undefined;
  const declaration = def.node.parent as TSESTree.VariableDeclaration;
  const block = declaration.parent;
  if (block?.type !== AST_NODE_TYPES.BlockStatement || declaration.declarations.length !== 1) return undefined;
  if (declaration.kind !== 'const' && declaration.kind !== 'let' && declaration.kind !== 'var') return undefined;
  const declarator = declaration.declarations[0]!;
  if (!declarator.init || !within(loan.acquisition.node, declarator.init)) return undefined;
  if (uses.rejectionLeaks.length > 0 || uses.events.some((event) => event.effect === 'transfer')) return undefined;
  if (loan.binding.variable.references.some((reference) => reference.isWrite() && !reference.init)) return undefined;

  const rest = block.body.slice(block.body.indexOf(declaration) + 1);
  const setup = new Set(uses.events.filter((event) => event.effect === 'open' || event.effect === 'setup').map((event) => event.at));
  let split = 0;
  while (split < rest.length && isStatementOf(rest[split]!, setup)) split++;
  const head = rest.slice(0, split);
  const tail = rest.slice(split);
  const releases: TSESTree.ExpressionStatement[] = [];
  for (const event of uses.events) {
    if (event.effect !== 'release') continue;
    const statement = tail.find((candidate) => isStatementOf(candidate, new Set([event.at])));
    if (!statement) return undefined;
    releases.push(statement as TSESTree.ExpressionStatement);
  }
  if (tail.length === releases.length) return undefined;

  // The rewrite re-indents whole lines: the statements must sit on lines of their own.
  const text = analysis.sourceCode.text;
  const lineStart = text.lastIndexOf('\n', declaration.range[0] - 1) + 1;
  if (text.slice(lineStart, declaration.range[0]).trim() !== '') return undefined;
  const lastKept = head[head.length - 1] ?? declaration;
  if (tail[0]!.loc.start.line <= lastKept.loc.end.line || block.loc.end.line <= tail[tail.length - 1]!.loc.end.line) return undefined;

  // Declarations that move into a nested block must not be needed outside it.
  const sourceCode = analysis.sourceCode;
  const tailRange: TextRange = [tail[0]!.range[0], tail[tail.length - 1]!.range[1]];
  for (const statement of tail) {
    if (
      statement.type === AST_NODE_TYPES.FunctionDeclaration ||
      statement.type === AST_NODE_TYPES.ClassDeclaration ||
      (statement.type === AST_NODE_TYPES.VariableDeclaration && statement.kind === 'var')
    ) {
      for (const variable of sourceCode.getDeclaredVariables(statement)) {
        if (variable.references.some((reference) => !inRange(reference.identifier, tailRange))) return undefined;
      }
    }
  }
  // A release that moves into `finally` must not name what the `try` block now declares
  // (`const done = () => pool.release(c)`, an alias made after the acquisition).
  for (const release of releases) {
    let local = false;
    walk(release, (node) => {
      if (local) return false;
      if (node.type !== AST_NODE_TYPES.Identifier || !isReference(node)) return true;
      const variable = findVariableFor(sourceCode, node);
      const def = variable?.defs[0];
      if (def && inRange(def.name, tailRange) && !inRange(def.name, release.range)) local = true;
      return true;
    });
    if (local) return undefined;
  }
  return { declaration, block, head, tail, releases };
}

/**
 * The text of the managed-call fix (`pool.use`, `sentinel.use`), or undefined when the loan's
 * lender has no managed form that gives it back the same way, or moving the code into an arrow
 * function would change what it does.
 */
export function managedCallFix(
  plan: LoanRewritePlan,
  loan: Loan,
  analysis: RedisAnalysis,
): { range: TextRange; text: string; call: string } | undefined {
  const { acquisition } = loan;
  const lender = acquisition.lender;
  if (acquisition.kind !== 'loan' || !lender || plan.head.length > 0 || !loan.owner.async) return undefined;
  const managed = managedMethodOf(lender);
  if (!managed) return undefined;
  const release = releaseMethodFor(acquisition, analysis);
  const used = plan.releases.map((statement) => releaseMethodName(statement));
  const wanted = managed.spec.releases ?? release?.method;
  if (used.some((method) => method !== wanted)) return undefined;
  // `const x = await owner.acquire();` with nothing the managed call could not pass on.
  const init = unwrapExpression(plan.declaration.declarations[0]!.init!);
  if (init.type !== AST_NODE_TYPES.AwaitExpression || unwrapExpression(init.argument) !== acquisition.node) return undefined;
  if (acquisition.node.type !== AST_NODE_TYPES.CallExpression || acquisition.node.arguments.length > 0) return undefined;
  const callee = unwrapExpression(acquisition.node.callee);
  if (callee.type !== AST_NODE_TYPES.MemberExpression || !isRepeatable(callee.object)) return undefined;

  let returns = false;
  let blocked = false;
  for (const statement of plan.tail) {
    walk(statement, (node) => {
      if (blocked) return false;
      if (isFunctionNode(node)) {
        if (node.type === AST_NODE_TYPES.ArrowFunctionExpression) blocked ||= usesArguments(node.body);
        return false;
      }
      switch (node.type) {
        case AST_NODE_TYPES.YieldExpression:
          blocked = true;
          return false;
        case AST_NODE_TYPES.BreakStatement:
        case AST_NODE_TYPES.ContinueStatement:
          if (!targetInside(node, plan.tail)) blocked = true;
          return false;
        case AST_NODE_TYPES.ReturnStatement:
          returns = true;
          return true;
        case AST_NODE_TYPES.Identifier:
          if (node.name === 'arguments' && isReference(node)) blocked = true;
          return true;
        default:
          return true;
      }
    });
  }
  if (blocked) return undefined;
  // A return inside the callback ends only the callback: fine when the code ran to the end of the function anyway.
  if (returns && plan.block.parent !== loan.owner) return undefined;
  const sourceCode = analysis.sourceCode;
  const owner = ownerText(callee.object, sourceCode);
  const prefix = returns ? (insideTry(plan.declaration, loan.owner) ? 'return await ' : 'return ') : 'await ';
  const code = movedCode(plan, sourceCode, plan.declaration.range[1]);
  const param = sourceCode.getText(plan.declaration.declarations[0]!.id);
  const text = managedCallText(code, { prefix, owner, method: managed.name, param });
  return { range: [plan.declaration.range[0], code.range[1]], text, call: `${owner}.${managed.name}()` };
}

function movedCode(plan: LoanRewritePlan, sourceCode: Readonly<TSESLint.SourceCode>, start: number): MovedCode {
  const text = sourceCode.text;
  const end = plan.tail[plan.tail.length - 1]!.range[1];
  // Template literals of the moved statements only: scanning the file's tokens per loan made a
  // file with many loans quadratic.
  const verbatim: TextRange[] = [];
  for (const statement of plan.tail) {
    walk(statement, (node) => {
      if (node.type === AST_NODE_TYPES.TemplateLiteral) verbatim.push(node.range);
      return true;
    });
  }
  return {
    text,
    range: [start, end],
    omit: plan.releases.map((statement) => statement.range),
    verbatim,
    indent: indentationAt(text, plan.declaration.range[0]),
    unit: indentUnitOf(text, plan.block),
  };
}

function releaseMethodName(statement: TSESTree.ExpressionStatement): string | undefined {
  let expression = unwrapExpression(statement.expression);
  if (expression.type === AST_NODE_TYPES.AwaitExpression) expression = unwrapExpression(expression.argument);
  if (expression.type !== AST_NODE_TYPES.CallExpression) return undefined;
  const callee = unwrapExpression(expression.callee);
  return callee.type === AST_NODE_TYPES.MemberExpression && callee.property.type === AST_NODE_TYPES.Identifier
    ? callee.property.name
    : undefined;
}

/** `stmt;`, `await stmt;` or `void stmt;` whose expression is one of the given nodes. */
function isStatementOf(statement: TSESTree.Statement, nodes: ReadonlySet<TSESTree.Node>): boolean {
  if (statement.type !== AST_NODE_TYPES.ExpressionStatement) return false;
  let expression: TSESTree.Node = statement.expression;
  for (;;) {
    if (nodes.has(expression)) return true;
    const inner = unwrapExpression(expression);
    if (inner !== expression) {
      expression = inner;
      continue;
    }
    if (inner.type === AST_NODE_TYPES.AwaitExpression) expression = inner.argument;
    else if (inner.type === AST_NODE_TYPES.UnaryExpression && inner.operator === 'void') expression = inner.argument;
    else return false;
  }
}

/** An owner reached without side effects (`pool`, `this.pool`, `deps.pools.main`). */
function isRepeatable(node: TSESTree.Node): boolean {
  const inner = unwrapExpression(node);
  switch (inner.type) {
    case AST_NODE_TYPES.Identifier:
    case AST_NODE_TYPES.ThisExpression:
      return true;
    case AST_NODE_TYPES.MemberExpression:
      return !inner.optional && (!inner.computed || inner.property.type === AST_NODE_TYPES.Literal) && isRepeatable(inner.object);
    default:
      return false;
  }
}

function ownerText(node: TSESTree.Node, sourceCode: Readonly<TSESLint.SourceCode>): string {
  const text = sourceCode.getText(node);
  return unwrapExpression(node) === node ? text : `(${text})`;
}

function targetInside(jump: TSESTree.BreakStatement | TSESTree.ContinueStatement, tail: readonly TSESTree.Statement[]): boolean {
  const inTail = (node: TSESTree.Node) => tail.some((statement) => within(node, statement));
  for (let current: TSESTree.Node | undefined = jump.parent; current && inTail(current); current = current.parent) {
    if (jump.label) {
      if (current.type === AST_NODE_TYPES.LabeledStatement && current.label.name === jump.label.name) return true;
      continue;
    }
    switch (current.type) {
      case AST_NODE_TYPES.ForStatement:
      case AST_NODE_TYPES.ForInStatement:
      case AST_NODE_TYPES.ForOfStatement:
      case AST_NODE_TYPES.WhileStatement:
      case AST_NODE_TYPES.DoWhileStatement:
        return true;
      case AST_NODE_TYPES.SwitchStatement:
        if (jump.type === AST_NODE_TYPES.BreakStatement) return true;
        break;
      default:
        break;
    }
  }
  return false;
}

/** `arguments` read inside an arrow (arrows see their enclosing function's). */
function usesArguments(body: TSESTree.Node): boolean {
  let found = false;
  walk(body, (node) => {
    if (found) return false;
    if (isFunctionNode(node) && node.type !== AST_NODE_TYPES.ArrowFunctionExpression) return false;
    if (node.type === AST_NODE_TYPES.Identifier && node.name === 'arguments' && isReference(node)) found = true;
    return true;
  });
  return found;
}

function isReference(node: TSESTree.Identifier): boolean {
  const { parent } = skipWrappersUp(node);
  if (parent?.type === AST_NODE_TYPES.MemberExpression && parent.property === node && !parent.computed) return false;
  if ((parent?.type === AST_NODE_TYPES.Property || parent?.type === AST_NODE_TYPES.PropertyDefinition) && parent.key === node && !parent.computed) {
    return false;
  }
  return true;
}

function within(node: TSESTree.Node, container: TSESTree.Node): boolean {
  return node.range[0] >= container.range[0] && node.range[1] <= container.range[1];
}

function inRange(node: TSESTree.Node, range: TextRange): boolean {
  return node.range[0] >= range[0] && node.range[1] <= range[1];
}
