/**
 * Static evaluation on the jscodeshift (Babel) AST: the codemods' counterpart of
 * src/analysis/static-value.ts, with the same answers. Literals, same-file constants, spreads,
 * `as const`/`satisfies`, arithmetic and Math.min/max on constants are known; anything that
 * depends on run time (environment, imports, calls) is unknown, and the codemods leave unknown
 * options alone.
 */
import { isMember, staticName, unwrap, type Node } from './ast';
import { foldBinary, foldUnary, MATH_FUNCTIONS, NUMBER_CONSTANTS } from '../analysis/constant-folding';
import type { FileContext } from './file-context';
import { patternPath } from './origins';
import type { Binding } from './scope';

export type Primitive = string | number | boolean | null | undefined | bigint;

export interface StaticProperty {
  value: StaticValue;
  /** The `ObjectProperty` that set it, when it is written in an object literal. */
  property: Node | undefined;
}

export type StaticValue =
  | { kind: 'primitive'; value: Primitive; node: Node }
  | {
      kind: 'object';
      properties: Map<string, StaticProperty>;
      /** False when a spread or computed key could add or override properties we can't see. */
      complete: boolean;
      node: Node;
    }
  | { kind: 'array'; elements: StaticValue[]; complete: boolean; node: Node }
  | { kind: 'function'; node: Node }
  | { kind: 'unknown'; node: Node };

export type OptionLookup =
  | { status: 'present'; value: StaticValue; property: Node | undefined }
  | { status: 'absent' }
  | { status: 'unknown' };

const MAX_DEPTH = 25;


export class StaticEvaluator {
  private readonly cache = new WeakMap<Node, StaticValue>();

  constructor(private readonly context: FileContext) {}

  evaluate(node: Node): StaticValue {
    return this.evaluateAt(node, 0);
  }

  /** A number, when the node evaluates to one (numeric strings count: ioredis takes `'0'`). */
  number(node: Node | undefined): number | undefined {
    return node ? toNumber(this.evaluate(node)) : undefined;
  }

  string(node: Node | undefined): string | undefined {
    if (!node) return undefined;
    const value = this.evaluate(node);
    return value.kind === 'primitive' && typeof value.value === 'string' ? value.value : undefined;
  }

  /**
   * Whether an expression yields a string, number or boolean even when its value can't be known
   * (src/analysis/static-value.ts `isPrimitiveShaped`): `process.env.REDIS_URL`, a template
   * literal, `Number(x)`, `a ?? 'default'`, or a constant holding one. ioredis takes
   * `(port, host, options)` in any combination, so this tells a URL from an options object.
   * (Globals are taken as unshadowed.)
   */
  isPrimitiveShaped(node: Node, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    if (this.evaluate(node).kind === 'primitive') return true;
    const inner = unwrap(node);
    switch (inner.type) {
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
      case 'TemplateLiteral':
      case 'BinaryExpression':
      case 'UnaryExpression':
        return true;
      case 'Identifier': {
        const binding = this.context.scopes.resolve(inner);
        const init = binding ? singleAssignedValue(this.context, binding) : undefined;
        return init !== undefined && init.path.length === 0 && this.isPrimitiveShaped(init.value, depth + 1);
      }
      case 'MemberExpression': {
        const object = unwrap(inner.object);
        return isMember(object) && object.object.type === 'Identifier' && object.object.name === 'process' && staticName(object) === 'env';
      }
      case 'CallExpression':
        return inner.callee.type === 'Identifier' && ['Number', 'String', 'parseInt', 'parseFloat'].includes(inner.callee.name);
      case 'LogicalExpression':
        return this.isPrimitiveShaped(inner.left, depth + 1) && this.isPrimitiveShaped(inner.right, depth + 1);
      case 'ConditionalExpression':
        return this.isPrimitiveShaped(inner.consequent, depth + 1) && this.isPrimitiveShaped(inner.alternate, depth + 1);
      default:
        return false;
    }
  }

  private evaluateAt(node: Node, depth: number): StaticValue {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const value = depth > MAX_DEPTH ? unknown(node) : this.compute(node, depth + 1);
    this.cache.set(node, value);
    return value;
  }

  private compute(original: Node, depth: number): StaticValue {
    const node = unwrap(original);
    switch (node.type) {
      case 'StringLiteral':
      case 'NumericLiteral':
      case 'BooleanLiteral':
        return primitive(node.value, node);
      case 'NullLiteral':
        return primitive(null, node);
      case 'BigIntLiteral':
        return primitive(BigInt(node.value), node);
      case 'TemplateLiteral': {
        let text: string = node.quasis[0]?.value.cooked ?? '';
        for (let i = 0; i < node.expressions.length; i++) {
          const part = this.evaluateAt(node.expressions[i], depth);
          if (part.kind !== 'primitive') return unknown(node);
          text += String(part.value) + (node.quasis[i + 1]?.value.cooked ?? '');
        }
        return primitive(text, node);
      }
      case 'Identifier':
        return this.identifier(node, depth);
      case 'ObjectExpression':
        return this.object(node, depth);
      case 'ArrayExpression': {
        const elements: StaticValue[] = [];
        let complete = true;
        for (const element of node.elements) {
          if (!element) elements.push(primitive(undefined, node));
          else if (element.type === 'SpreadElement') {
            const spread = this.evaluateAt(element.argument, depth);
            if (spread.kind === 'array') {
              elements.push(...spread.elements);
              complete &&= spread.complete;
            } else complete = false;
          } else elements.push(this.evaluateAt(element, depth));
        }
        return { kind: 'array', elements, complete, node };
      }
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        return { kind: 'function', node };
      case 'UnaryExpression':
        return this.unary(node, depth);
      case 'BinaryExpression':
        return this.binary(node, depth);
      case 'LogicalExpression': {
        const left = this.evaluateAt(node.left, depth);
        if (left.kind === 'unknown') return unknown(node);
        const leftValue = left.kind === 'primitive' ? left.value : {};
        if (node.operator === '??') return leftValue === null || leftValue === undefined ? this.evaluateAt(node.right, depth) : left;
        if (node.operator === '||') return leftValue ? left : this.evaluateAt(node.right, depth);
        return leftValue ? this.evaluateAt(node.right, depth) : left;
      }
      case 'ConditionalExpression': {
        const test = this.evaluateAt(node.test, depth);
        if (test.kind !== 'primitive') return unknown(node);
        return this.evaluateAt(test.value ? node.consequent : node.alternate, depth);
      }
      case 'MemberExpression':
      case 'OptionalMemberExpression':
        return this.member(node, depth);
      case 'CallExpression':
        return this.call(node, depth);
      case 'SequenceExpression':
        return this.evaluateAt(node.expressions[node.expressions.length - 1], depth);
      default:
        return unknown(node);
    }
  }

  private identifier(node: Node, depth: number): StaticValue {
    const binding = this.context.scopes.resolve(node);
    if (!binding) {
      // Unshadowed globals with fixed values.
      if (node.name === 'undefined') return primitive(undefined, node);
      if (node.name === 'Infinity') return primitive(Infinity, node);
      if (node.name === 'NaN') return primitive(NaN, node);
      return unknown(node);
    }
    const init = singleAssignedValue(this.context, binding);
    if (!init) return unknown(node);
    if (init.path.length === 0) return this.evaluateAt(init.value, depth);
    // `const { a } = constants`: the property of a known object.
    let current = this.evaluateAt(init.value, depth);
    for (const key of init.path) {
      if (current.kind !== 'object') return unknown(node);
      const next = current.properties.get(key);
      if (!next) return current.complete ? primitive(undefined, node) : unknown(node);
      current = next.value;
    }
    return current;
  }

  private object(node: Node, depth: number): StaticValue {
    const properties = new Map<string, StaticProperty>();
    let complete = true;
    for (const property of node.properties) {
      if (property.type === 'SpreadElement') {
        const spread = this.evaluateAt(property.argument, depth);
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
      const key = staticName(property);
      if (key === undefined) {
        complete = false;
        continue;
      }
      if (property.type === 'ObjectMethod') {
        properties.set(key, { value: property.kind === 'method' ? { kind: 'function', node: property } : unknown(property), property });
        continue;
      }
      properties.set(key, { value: this.evaluateAt(property.value, depth), property });
    }
    return { kind: 'object', properties, complete, node };
  }

  private unary(node: Node, depth: number): StaticValue {
    const argument = this.evaluateAt(node.argument, depth);
    if (argument.kind !== 'primitive') return node.operator === 'void' ? primitive(undefined, node) : unknown(node);
    const folded = foldUnary(node.operator, argument.value);
    return folded ? primitive(folded.value, node) : unknown(node);
  }

  private binary(node: Node, depth: number): StaticValue {
    if (node.left.type === 'PrivateName') return unknown(node);
    const left = this.evaluateAt(node.left, depth);
    const right = this.evaluateAt(node.right, depth);
    if (left.kind !== 'primitive' || right.kind !== 'primitive') return unknown(node);
    const folded = foldBinary(node.operator, left.value, right.value);
    return folded ? primitive(folded.value, node) : unknown(node);
  }

  private member(node: Node, depth: number): StaticValue {
    const object = unwrap(node.object);
    const name = staticName(node);
    if (name === undefined) return unknown(node);
    if (object.type === 'Identifier' && !this.context.scopes.resolve(object)) {
      if (object.name === 'Number') {
        if (name in NUMBER_CONSTANTS) return primitive(NUMBER_CONSTANTS[name], node);
      }
      if (object.name === 'Math' && (name === 'PI' || name === 'E')) return primitive(Math[name], node);
    }
    const target = this.evaluateAt(object, depth);
    if (target.kind === 'object') {
      const property = target.properties.get(name);
      if (property) return property.value;
      return target.complete ? primitive(undefined, node) : unknown(node);
    }
    if (target.kind === 'array' && target.complete) {
      if (name === 'length') return primitive(target.elements.length, node);
      const index = Number(name);
      if (Number.isInteger(index)) return target.elements[index] ?? primitive(undefined, node);
    }
    if (target.kind === 'primitive' && typeof target.value === 'string' && name === 'length') return primitive(target.value.length, node);
    return unknown(node);
  }

  private call(node: Node, depth: number): StaticValue {
    const callee = unwrap(node.callee);
    const args: StaticValue[] = node.arguments.map((argument: Node) =>
      argument.type === 'SpreadElement' ? unknown(argument) : this.evaluateAt(argument, depth),
    );
    const numbers = args.map(toNumber);
    const allNumbers = numbers.every((n): n is number => n !== undefined);
    if (isMember(callee) && callee.object.type === 'Identifier') {
      if (this.context.scopes.resolve(callee.object)) return unknown(node);
      const owner = callee.object.name;
      const method = staticName(callee);
      if (owner === 'Math' && allNumbers && method) {
        const fn = MATH_FUNCTIONS[method];
        if (fn) return primitive(fn(...numbers), node);
      }
      if (owner === 'Number' && method === 'parseInt' && allNumbers) return primitive(Math.trunc(numbers[0]!), node);
      if (owner === 'Number' && method === 'parseFloat' && allNumbers) return primitive(numbers[0], node);
      return unknown(node);
    }
    if (callee.type === 'Identifier' && !this.context.scopes.resolve(callee)) {
      if ((callee.name === 'Number' || callee.name === 'parseFloat') && allNumbers && numbers.length === 1) return primitive(numbers[0], node);
      if (callee.name === 'parseInt' && numbers[0] !== undefined) return primitive(Math.trunc(numbers[0]), node);
      if (callee.name === 'String' && args[0]?.kind === 'primitive') return primitive(String(args[0].value), node);
    }
    return unknown(node);
  }
}

/**
 * The one value a binding holds for its whole life: a `const`, or a `let`/`var` written only by
 * its declaration; with the property path when it is destructured (`const { a } = x`).
 */
export function singleAssignedValue(context: FileContext, binding: Binding): { value: Node; path: string[] } | undefined {
  if (binding.kind !== 'const' && binding.kind !== 'let' && binding.kind !== 'var') return undefined;
  const declarator = binding.declarator;
  if (!declarator?.init) return undefined;
  const owner = context.index.parentOf(binding.declaration);
  if ((owner?.type === 'ForOfStatement' || owner?.type === 'ForInStatement') && owner.left === binding.declaration) return undefined;
  if (binding.kind !== 'const' && context.scopes.referencesOf(binding).some((reference) => reference.write)) return undefined;
  const path = patternPath(declarator.id, binding.identifier);
  return path === undefined ? undefined : { value: declarator.init, path };
}

function primitive(value: Primitive, node: Node): StaticValue {
  return { kind: 'primitive', value, node };
}

function unknown(node: Node): StaticValue {
  return { kind: 'unknown', node };
}

/** A number from a static value; numeric strings count, empty strings don't. */
export function toNumber(value: StaticValue | undefined): number | undefined {
  if (value?.kind !== 'primitive') return undefined;
  if (typeof value.value === 'number') return value.value;
  if (typeof value.value === 'string' && value.value.trim() !== '') {
    const n = Number(value.value);
    return Number.isNaN(n) ? undefined : n;
  }
  return undefined;
}

/** Looks up a property path (`['socket', 'connectTimeout']`) in a static value. */
export function lookupOption(value: StaticValue | undefined, path: readonly string[]): OptionLookup {
  let current: StaticValue | undefined = value;
  let property: Node | undefined;
  for (const key of path) {
    if (!current) return { status: 'unknown' };
    if (current.kind === 'primitive' && (current.value === undefined || current.value === null)) return { status: 'absent' };
    if (current.kind !== 'object') return { status: 'unknown' };
    const next = current.properties.get(key);
    if (!next) return current.complete ? { status: 'absent' } : { status: 'unknown' };
    current = next.value;
    property = next.property;
  }
  if (current?.kind === 'primitive' && current.value === undefined) return { status: 'absent' };
  return current ? { status: 'present', value: current, property } : { status: 'unknown' };
}
