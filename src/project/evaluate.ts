/**
 * Static evaluation over the TypeScript AST of the whole program: literals, constants (in this
 * file or imported from another), object spreads, arithmetic, `Math.min`/`Math.max` and friends,
 * and a factory's parameters bound to the arguments of the call that instantiated it. Anything
 * that depends on run time (environment, I/O, calls) stays unknown.
 */
import {
  Node,
  SyntaxKind,
  VariableDeclarationKind,
  type BinaryExpression,
  type BindingElement,
  type CallExpression,
  type ElementAccessExpression,
  type Identifier,
  type ObjectLiteralExpression,
  type PrefixUnaryExpression,
  type PropertyAccessExpression,
  type ParameterDeclaration,
} from 'ts-morph';
import { foldBinary, foldUnary, MATH_FUNCTIONS, NUMBER_CONSTANTS, primitiveToNumber } from '../analysis/constant-folding';
import { isGlobalIdentifier, isProjectSource, staticName, unwrap } from './syntax';
import { isFunctionLike, nodeId, type FunctionLike } from './values';

export type Primitive = string | number | boolean | null | undefined | bigint;

export interface StaticProperty {
  value: StaticValue;
  /** The property assignment, shorthand or method that set it. */
  node: Node;
}

export type StaticValue =
  | { kind: 'primitive'; value: Primitive }
  | {
      kind: 'object';
      properties: Map<string, StaticProperty>;
      /** False when a spread or computed key could add or override properties we can't see. */
      complete: boolean;
    }
  | { kind: 'array'; elements: StaticValue[]; complete: boolean }
  | { kind: 'function'; node: FunctionLike }
  | { kind: 'unknown' };

/** Call and `new` sites that instantiated the code being evaluated, innermost first. */
export type Frame = readonly Node[];

/** Which argument a parameter takes in a frame (`argument` undefined: not passed). */
export interface ParamBinding {
  argument: Node | undefined;
  frame: Frame;
}

/** Binds a parameter to the argument of the call in `frame` that entered its function. */
export type ParamBinder = (parameter: ParameterDeclaration, frame: Frame) => ParamBinding | undefined;

export type OptionLookup =
  | { status: 'present'; value: StaticValue }
  | { status: 'absent' }
  | { status: 'unknown' };

const UNKNOWN: StaticValue = { kind: 'unknown' };
const MAX_DEPTH = 40;

export class ProjectEvaluator {
  private readonly cache = new Map<string, StaticValue>();
  private readonly active = new Set<string>();

  constructor(private readonly bindParameter: ParamBinder = () => undefined) {}

  evaluate(node: Node, frame: Frame = []): StaticValue {
    return this.at(node, frame, 0);
  }

  /** A number, when the node evaluates to one (numeric strings count: ioredis takes `'0'`). */
  number(node: Node | undefined, frame: Frame = []): number | undefined {
    return node ? toNumber(this.evaluate(node, frame)) : undefined;
  }

  string(node: Node | undefined, frame: Frame = []): string | undefined {
    if (!node) return undefined;
    const value = this.evaluate(node, frame);
    return value.kind === 'primitive' && typeof value.value === 'string' ? value.value : undefined;
  }

  private at(node: Node, frame: Frame, depth: number): StaticValue {
    if (depth > MAX_DEPTH) return UNKNOWN;
    const key = [node, ...frame].map(nodeId).join('>');
    const cached = this.cache.get(key);
    if (cached) return cached;
    // A constant defined in terms of itself (through imports) has no static value.
    if (this.active.has(key)) return UNKNOWN;
    this.active.add(key);
    let value: StaticValue;
    try {
      value = this.compute(unwrap(node), frame, depth + 1);
    } finally {
      this.active.delete(key);
    }
    this.cache.set(key, value);
    return value;
  }

  private compute(node: Node, frame: Frame, depth: number): StaticValue {
    if (Node.isNumericLiteral(node)) return primitive(node.getLiteralValue());
    if (Node.isStringLiteral(node) || Node.isNoSubstitutionTemplateLiteral(node)) return primitive(node.getLiteralValue());
    if (Node.isBigIntLiteral(node)) return primitive(node.getLiteralValue() as bigint);
    switch (node.getKind()) {
      case SyntaxKind.TrueKeyword:
        return primitive(true);
      case SyntaxKind.FalseKeyword:
        return primitive(false);
      case SyntaxKind.NullKeyword:
        return primitive(null);
      default:
        break;
    }
    if (Node.isTemplateExpression(node)) {
      let text = node.getHead().getLiteralText();
      for (const span of node.getTemplateSpans()) {
        const part = this.at(span.getExpression(), frame, depth);
        if (part.kind !== 'primitive') return UNKNOWN;
        text += String(part.value) + span.getLiteral().getLiteralText();
      }
      return primitive(text);
    }
    if (Node.isIdentifier(node)) return this.identifier(node, frame, depth);
    if (Node.isObjectLiteralExpression(node)) return this.object(node, frame, depth);
    if (Node.isArrayLiteralExpression(node)) {
      const elements: StaticValue[] = [];
      let complete = true;
      for (const element of node.getElements()) {
        if (Node.isSpreadElement(element)) {
          const spread = this.at(element.getExpression(), frame, depth);
          if (spread.kind === 'array') {
            elements.push(...spread.elements);
            complete &&= spread.complete;
          } else complete = false;
        } else if (Node.isOmittedExpression(element)) {
          elements.push(primitive(undefined));
        } else elements.push(this.at(element, frame, depth));
      }
      return { kind: 'array', elements, complete };
    }
    if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return { kind: 'function', node };
    if (Node.isPrefixUnaryExpression(node)) return this.prefix(node, frame, depth);
    if (Node.isVoidExpression(node)) return primitive(undefined);
    if (Node.isTypeOfExpression(node)) {
      const operand = this.at(node.getExpression(), frame, depth);
      return operand.kind === 'primitive' ? primitive(operand.value === null ? 'object' : typeof operand.value) : UNKNOWN;
    }
    if (Node.isBinaryExpression(node)) return this.binary(node, frame, depth);
    if (Node.isConditionalExpression(node)) {
      const test = this.at(node.getCondition(), frame, depth);
      if (test.kind !== 'primitive') return UNKNOWN;
      return this.at(test.value ? node.getWhenTrue() : node.getWhenFalse(), frame, depth);
    }
    if (Node.isPropertyAccessExpression(node) || Node.isElementAccessExpression(node)) {
      return this.member(node, frame, depth);
    }
    if (Node.isCallExpression(node)) return this.call(node, frame, depth);
    return UNKNOWN;
  }

  private identifier(node: Identifier, frame: Frame, depth: number): StaticValue {
    if (isGlobalIdentifier(node)) {
      switch (node.getText()) {
        case 'undefined':
          return primitive(undefined);
        case 'Infinity':
          return primitive(Infinity);
        case 'NaN':
          return primitive(NaN);
        default:
          return UNKNOWN;
      }
    }
    const symbol = node.getSymbol();
    const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
    const declaration = target?.getValueDeclaration() ?? target?.getDeclarations()[0];
    return declaration ? this.declaration(declaration, frame, depth) : UNKNOWN;
  }

  private declaration(declaration: Node, frame: Frame, depth: number): StaticValue {
    if (!isProjectSource(declaration.getSourceFile())) return UNKNOWN;
    if (Node.isVariableDeclaration(declaration)) {
      const list = declaration.getParent();
      const initializer = declaration.getInitializer();
      const constant =
        Node.isVariableDeclarationList(list) && list.getDeclarationKind() === VariableDeclarationKind.Const;
      return constant && initializer ? this.at(initializer, frame, depth) : UNKNOWN;
    }
    if (Node.isBindingElement(declaration)) return this.bindingElement(declaration, frame, depth);
    if (Node.isParameterDeclaration(declaration)) return this.parameter(declaration, frame, depth);
    if (Node.isEnumMember(declaration)) {
      const initializer = declaration.getInitializer();
      return initializer ? this.at(initializer, [], depth) : UNKNOWN;
    }
    if (Node.isFunctionDeclaration(declaration)) return { kind: 'function', node: declaration };
    return UNKNOWN;
  }

  private parameter(parameter: ParameterDeclaration, frame: Frame, depth: number): StaticValue {
    if (parameter.isRestParameter()) return UNKNOWN;
    const binding = this.bindParameter(parameter, frame);
    if (!binding) return UNKNOWN;
    if (binding.argument) {
      const value = this.at(binding.argument, binding.frame, depth);
      // A default applies when the argument is undefined.
      if (value.kind === 'primitive' && value.value === undefined) return this.parameterDefault(parameter, frame, depth);
      return value;
    }
    return this.parameterDefault(parameter, frame, depth);
  }

  private parameterDefault(parameter: ParameterDeclaration, frame: Frame, depth: number): StaticValue {
    const initializer = parameter.getInitializer();
    return initializer ? this.at(initializer, frame, depth) : primitive(undefined);
  }

  /** `const { timeout } = config` or a destructured parameter: the property of the container. */
  private bindingElement(element: BindingElement, frame: Frame, depth: number): StaticValue {
    const pattern = element.getParent();
    if (!Node.isObjectBindingPattern(pattern) || element.getDotDotDotToken()) return UNKNOWN;
    const key = staticName(element.getPropertyNameNode() ?? element.getNameNode());
    if (key === undefined) return UNKNOWN;
    const holder = pattern.getParent();
    let container: StaticValue;
    if (Node.isVariableDeclaration(holder)) {
      const list = holder.getParent();
      const initializer = holder.getInitializer();
      if (!initializer || !Node.isVariableDeclarationList(list) || list.getDeclarationKind() !== VariableDeclarationKind.Const) {
        return UNKNOWN;
      }
      container = this.at(initializer, frame, depth);
    } else if (Node.isParameterDeclaration(holder)) {
      container = this.parameter(holder, frame, depth);
    } else if (Node.isBindingElement(holder)) {
      container = this.bindingElement(holder, frame, depth);
    } else {
      return UNKNOWN;
    }
    const found = lookupOption(container, [key]);
    if (found.status === 'present') return found.value;
    if (found.status === 'unknown') return UNKNOWN;
    const initializer = element.getInitializer();
    return initializer ? this.at(initializer, frame, depth) : primitive(undefined);
  }

  private object(node: ObjectLiteralExpression, frame: Frame, depth: number): StaticValue {
    const properties = new Map<string, StaticProperty>();
    let complete = true;
    for (const property of node.getProperties()) {
      if (Node.isSpreadAssignment(property)) {
        const spread = this.at(property.getExpression(), frame, depth);
        if (spread.kind === 'object') {
          for (const [key, value] of spread.properties) properties.set(key, value);
          complete &&= spread.complete;
        } else if (spread.kind === 'primitive' && (spread.value === null || spread.value === undefined)) {
          // `...undefined` adds nothing.
        } else {
          // Anything set so far may be overridden by what we can't see.
          properties.clear();
          complete = false;
        }
        continue;
      }
      const key = this.propertyKey(property.getNameNode(), frame, depth);
      if (key === undefined) {
        complete = false;
        continue;
      }
      let value: StaticValue;
      if (Node.isPropertyAssignment(property)) {
        const initializer = property.getInitializer();
        value = initializer ? this.at(initializer, frame, depth) : UNKNOWN;
      } else if (Node.isShorthandPropertyAssignment(property)) {
        const symbol = property.getValueSymbol();
        const target = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
        const declaration = target?.getValueDeclaration() ?? target?.getDeclarations()[0];
        value = declaration ? this.declaration(declaration, frame, depth) : UNKNOWN;
      } else if (Node.isMethodDeclaration(property)) {
        value = { kind: 'function', node: property };
      } else {
        value = UNKNOWN;
      }
      properties.set(key, { value, node: property });
    }
    return { kind: 'object', properties, complete };
  }

  private propertyKey(name: Node, frame: Frame, depth: number): string | undefined {
    if (Node.isComputedPropertyName(name)) {
      const key = this.at(name.getExpression(), frame, depth);
      return key.kind === 'primitive' && (typeof key.value === 'string' || typeof key.value === 'number')
        ? String(key.value)
        : undefined;
    }
    return staticName(name);
  }

  private prefix(node: PrefixUnaryExpression, frame: Frame, depth: number): StaticValue {
    const operand = this.at(node.getOperand(), frame, depth);
    if (operand.kind !== 'primitive') return UNKNOWN;
    const folded = foldUnary(UNARY_OPERATORS[node.getOperatorToken()] ?? '', operand.value);
    return folded ? primitive(folded.value) : UNKNOWN;
  }

  private binary(node: BinaryExpression, frame: Frame, depth: number): StaticValue {
    const operator = node.getOperatorToken().getKind();
    const left = this.at(node.getLeft(), frame, depth);
    if (
      operator === SyntaxKind.QuestionQuestionToken ||
      operator === SyntaxKind.BarBarToken ||
      operator === SyntaxKind.AmpersandAmpersandToken
    ) {
      if (left.kind === 'unknown') return UNKNOWN;
      const truthy = left.kind !== 'primitive' || Boolean(left.value);
      const nullish = left.kind === 'primitive' && (left.value === null || left.value === undefined);
      if (operator === SyntaxKind.QuestionQuestionToken) return nullish ? this.at(node.getRight(), frame, depth) : left;
      if (operator === SyntaxKind.BarBarToken) return truthy ? left : this.at(node.getRight(), frame, depth);
      return truthy ? this.at(node.getRight(), frame, depth) : left;
    }
    if (operator === SyntaxKind.CommaToken) return this.at(node.getRight(), frame, depth);
    const right = this.at(node.getRight(), frame, depth);
    if (left.kind !== 'primitive' || right.kind !== 'primitive') return UNKNOWN;
    const folded = foldBinary(node.getOperatorToken().getText(), left.value, right.value);
    return folded ? primitive(folded.value) : UNKNOWN;
  }

  private member(
    node: PropertyAccessExpression | ElementAccessExpression,
    frame: Frame,
    depth: number,
  ): StaticValue {
    const object = unwrap(node.getExpression());
    let name: string | undefined;
    if (Node.isPropertyAccessExpression(node)) name = node.getName();
    else {
      const argument = node.getArgumentExpression();
      const key = argument ? this.at(argument, frame, depth) : UNKNOWN;
      name = key.kind === 'primitive' && (typeof key.value === 'string' || typeof key.value === 'number') ? String(key.value) : undefined;
    }
    if (name === undefined) return UNKNOWN;
    if (isGlobalIdentifier(object)) {
      const owner = object.getText();
      if (owner === 'Number' && name in NUMBER_CONSTANTS) return primitive(NUMBER_CONSTANTS[name]);
      if (owner === 'Math' && (name === 'PI' || name === 'E')) return primitive(Math[name]);
      return UNKNOWN;
    }
    const target = this.at(object, frame, depth);
    if (target.kind === 'object') {
      const property = target.properties.get(name);
      if (property) return property.value;
      return target.complete ? primitive(undefined) : UNKNOWN;
    }
    if (target.kind === 'array' && target.complete) {
      if (name === 'length') return primitive(target.elements.length);
      const index = Number(name);
      if (Number.isInteger(index)) return target.elements[index] ?? primitive(undefined);
    }
    if (target.kind === 'primitive' && typeof target.value === 'string' && name === 'length') {
      return primitive(target.value.length);
    }
    // A namespace import's export (`config.SECOND`) or an enum member (`Limits.Pool`): the
    // checker knows the declaration, and only constants are evaluated from it.
    if (target.kind === 'unknown' && Node.isPropertyAccessExpression(node)) {
      const symbol = node.getNameNode().getSymbol();
      const resolved = symbol?.isAlias() ? symbol.getAliasedSymbol() : symbol;
      const declaration = resolved?.getValueDeclaration();
      if (Node.isVariableDeclaration(declaration) || Node.isEnumMember(declaration)) {
        return this.declaration(declaration, frame, depth);
      }
    }
    return UNKNOWN;
  }

  private call(node: CallExpression, frame: Frame, depth: number): StaticValue {
    const callee = unwrap(node.getExpression());
    const args = node.getArguments().map((argument) =>
      Node.isSpreadElement(argument) ? UNKNOWN : this.at(argument, frame, depth),
    );
    const numbers = args.map(toNumber);
    const allNumbers = numbers.every((n): n is number => n !== undefined);
    if (Node.isPropertyAccessExpression(callee) && isGlobalIdentifier(callee.getExpression())) {
      const owner = callee.getExpression().getText();
      const method = callee.getName();
      if (owner === 'Math' && allNumbers) {
        const fn = MATH_FUNCTIONS[method];
        if (fn) return primitive(fn(...numbers));
      }
      if (owner === 'Number' && method === 'parseInt' && numbers[0] !== undefined) return primitive(Math.trunc(numbers[0]));
      if (owner === 'Number' && method === 'parseFloat' && numbers[0] !== undefined) return primitive(numbers[0]);
      return UNKNOWN;
    }
    if (Node.isIdentifier(callee) && isGlobalIdentifier(callee)) {
      const name = callee.getText();
      if ((name === 'Number' || name === 'parseFloat') && numbers.length === 1 && allNumbers) return primitive(numbers[0]);
      if (name === 'parseInt' && numbers[0] !== undefined) return primitive(Math.trunc(numbers[0]));
      if (name === 'String' && args[0]?.kind === 'primitive') return primitive(String(args[0].value));
    }
    return UNKNOWN;
  }
}



// Prefix operators by token, for the shared folding.
const UNARY_OPERATORS: Partial<Record<SyntaxKind, string>> = {
  [SyntaxKind.MinusToken]: '-',
  [SyntaxKind.PlusToken]: '+',
  [SyntaxKind.ExclamationToken]: '!',
  [SyntaxKind.TildeToken]: '~',
};

function primitive(value: Primitive): StaticValue {
  return { kind: 'primitive', value };
}

/** A number from a static value; numeric strings count, empty strings don't. */
export function toNumber(value: StaticValue | undefined): number | undefined {
  return value?.kind === 'primitive' ? primitiveToNumber(value.value) : undefined;
}

/** Looks a property path (`['socket', 'connectTimeout']`) up in a static value. */
export function lookupOption(value: StaticValue | undefined, path: readonly string[]): OptionLookup {
  let current: StaticValue | undefined = value;
  for (const key of path) {
    if (!current) return { status: 'unknown' };
    if (current.kind === 'primitive' && (current.value === undefined || current.value === null)) return { status: 'absent' };
    if (current.kind !== 'object') return { status: 'unknown' };
    const next = current.properties.get(key);
    if (!next) return current.complete ? { status: 'absent' } : { status: 'unknown' };
    current = next.value;
  }
  if (!current) return { status: 'unknown' };
  if (current.kind === 'primitive' && current.value === undefined) return { status: 'absent' };
  return { status: 'present', value: current };
}

/** The function a static value holds, if it is one (a method, an arrow, a function). */
export function functionOf(value: StaticValue | undefined): FunctionLike | undefined {
  return value?.kind === 'function' && isFunctionLike(value.node) ? value.node : undefined;
}
