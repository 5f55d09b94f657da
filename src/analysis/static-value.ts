/**
 * Static evaluation of option objects and numbers: literals, same-file constants, spreads,
 * `as const`/`satisfies`, arithmetic and Math/Number on constants. Imports, parameters and
 * `require` are read only through a caller's hooks; anything else that depends on run time stays
 * unknown, and rules stay silent on unknown.
 */
import type { TSESLint, TSESTree } from '@typescript-eslint/utils';
import { AST_NODE_TYPES, requireSpecifier, staticPropertyName, unwrapExpression } from './ast';
import { foldBinary, foldUnary, MATH_FUNCTIONS, NUMBER_CONSTANTS, primitiveToNumber, type Primitive } from './constant-folding';
import { findVariableFor, isUnshadowedGlobal, singleAssignedValue, writesOf, type Variable } from './scope';

export type { Primitive };

export interface StaticProperty {
  value: StaticValue;
  /** The property node that set it (for reports at the offending property). */
  property: TSESTree.Property | undefined;
}

export type StaticValue =
  | { kind: 'primitive'; value: Primitive; node: TSESTree.Node }
  | {
      kind: 'object';
      properties: Map<string, StaticProperty>;
      /** False when a spread or computed key could add or override properties we can't see. */
      complete: boolean;
      node: TSESTree.Node;
    }
  | { kind: 'array'; elements: StaticValue[]; complete: boolean; node: TSESTree.Node }
  | { kind: 'function'; node: TSESTree.Node }
  /** `primitiveShaped`: a string, number or boolean whose value can't be known (read from another module). */
  | { kind: 'unknown'; node: TSESTree.Node; primitiveShaped?: boolean };

export type OptionLookup =
  | { status: 'present'; value: StaticValue; property: TSESTree.Property | undefined }
  | { status: 'absent' }
  | { status: 'unknown' };

const MAX_DEPTH = 25;

/**
 * What a caller that sees more than one file knows about a binding this file can't evaluate: an
 * import of a project module, or a parameter bound to a call site's argument (the report).
 * Undefined: unknown, as without it.
 */
export type ExternalBinding = (identifier: TSESTree.Identifier, variable: Variable) => StaticValue | undefined;

/** What `require(specifier)` gives, for a caller that can read the project's modules; undefined: unknown. */
export type RequiredModule = (specifier: string, at: TSESTree.Node) => StaticValue | undefined;

export class StaticEvaluator {
  private readonly cache = new WeakMap<TSESTree.Node, StaticValue>();

  constructor(
    private readonly sourceCode: Readonly<TSESLint.SourceCode>,
    private readonly external?: ExternalBinding,
    private readonly required?: RequiredModule,
  ) {}

  evaluate(node: TSESTree.Node): StaticValue {
    return this.evaluateAt(node, 0);
  }

  /** A number, when the node evaluates to one (numeric strings count: ioredis takes `'0'`). */
  number(node: TSESTree.Node | undefined): number | undefined {
    return node && toNumber(this.evaluate(node));
  }

  string(node: TSESTree.Node | undefined): string | undefined {
    const value = node && this.evaluate(node);
    return value?.kind === 'primitive' && typeof value.value === 'string' ? value.value : undefined;
  }

  /**
   * Whether an expression yields a string, number or boolean even when its value can't be known:
   * `process.env.REDIS_URL`, a template literal, `Number(x)`, `a ?? 'default'`, or a constant
   * holding one. ioredis takes `(port, host, options)` in any combination, so telling a URL from
   * an options object decides whether a client has options at all.
   */
  isPrimitiveShaped(node: TSESTree.Node, depth = 0): boolean {
    if (depth > MAX_DEPTH) return false;
    const value = this.evaluate(node);
    if (value.kind === 'primitive' || (value.kind === 'unknown' && value.primitiveShaped)) return true;
    const inner = unwrapExpression(node);
    switch (inner.type) {
      case AST_NODE_TYPES.Literal:
      case AST_NODE_TYPES.TemplateLiteral:
      case AST_NODE_TYPES.BinaryExpression:
      case AST_NODE_TYPES.UnaryExpression:
        return true;
      case AST_NODE_TYPES.Identifier: {
        const variable = findVariableFor(this.sourceCode, inner);
        const init = variable ? singleAssignedValue(variable) : undefined;
        return init !== undefined && this.isPrimitiveShaped(init, depth + 1);
      }
      case AST_NODE_TYPES.MemberExpression: {
        const object = unwrapExpression(inner.object);
        return (
          object.type === AST_NODE_TYPES.MemberExpression &&
          object.object.type === AST_NODE_TYPES.Identifier &&
          object.object.name === 'process' &&
          staticPropertyName(object) === 'env'
        );
      }
      case AST_NODE_TYPES.CallExpression:
        return (
          inner.callee.type === AST_NODE_TYPES.Identifier &&
          ['Number', 'String', 'parseInt', 'parseFloat'].includes(inner.callee.name)
        );
      case AST_NODE_TYPES.LogicalExpression:
        return this.isPrimitiveShaped(inner.left, depth + 1) && this.isPrimitiveShaped(inner.right, depth + 1);
      case AST_NODE_TYPES.ConditionalExpression:
        return this.isPrimitiveShaped(inner.consequent, depth + 1) && this.isPrimitiveShaped(inner.alternate, depth + 1);
      default:
        return false;
    }
  }

  private evaluateAt(node: TSESTree.Node, depth: number): StaticValue {
    const cached = this.cache.get(node);
    if (cached) return cached;
    const value = depth > MAX_DEPTH ? unknown(node) : this.compute(node, depth + 1);
    this.cache.set(node, value);
    return value;
  }

  private compute(original: TSESTree.Node, depth: number): StaticValue {
    const node = unwrapExpression(original);
    switch (node.type) {
      case AST_NODE_TYPES.Literal:
        if ('regex' in node && node.regex) return unknown(node);
        return primitive(node.value as Primitive, node);
      case AST_NODE_TYPES.TemplateLiteral: {
        let text = node.quasis[0]?.value.cooked ?? '';
        for (let i = 0; i < node.expressions.length; i++) {
          const part = this.evaluateAt(node.expressions[i]!, depth);
          if (part.kind !== 'primitive') return unknown(node);
          text += String(part.value) + (node.quasis[i + 1]?.value.cooked ?? '');
        }
        return primitive(text, node);
      }
      case AST_NODE_TYPES.Identifier:
        return this.identifier(node, depth);
      case AST_NODE_TYPES.ObjectExpression:
        return this.object(node, depth);
      case AST_NODE_TYPES.ArrayExpression: {
        const elements: StaticValue[] = [];
        let complete = true;
        for (const element of node.elements) {
          if (!element) elements.push(primitive(undefined, node));
          else if (element.type === AST_NODE_TYPES.SpreadElement) {
            const spread = this.evaluateAt(element.argument, depth);
            if (spread.kind === 'array') {
              elements.push(...spread.elements);
              complete &&= spread.complete;
            } else complete = false;
          } else elements.push(this.evaluateAt(element, depth));
        }
        return { kind: 'array', elements, complete, node };
      }
      case AST_NODE_TYPES.FunctionExpression:
      case AST_NODE_TYPES.ArrowFunctionExpression:
        return { kind: 'function', node };
      case AST_NODE_TYPES.UnaryExpression: {
        const argument = this.evaluateAt(node.argument, depth);
        if (argument.kind !== 'primitive') return node.operator === 'void' ? primitive(undefined, node) : unknown(node);
        const folded = foldUnary(node.operator, argument.value);
        return folded ? primitive(folded.value, node) : unknown(node);
      }
      case AST_NODE_TYPES.BinaryExpression:
        return this.binary(node, depth);
      case AST_NODE_TYPES.LogicalExpression: {
        const left = this.evaluateAt(node.left, depth);
        if (left.kind === 'unknown') return unknown(node);
        const leftValue = left.kind === 'primitive' ? left.value : {};
        if (node.operator === '??') {
          return leftValue === null || leftValue === undefined ? this.evaluateAt(node.right, depth) : left;
        }
        if (node.operator === '||') return leftValue ? left : this.evaluateAt(node.right, depth);
        return leftValue ? this.evaluateAt(node.right, depth) : left;
      }
      case AST_NODE_TYPES.ConditionalExpression: {
        const test = this.evaluateAt(node.test, depth);
        if (test.kind !== 'primitive') return unknown(node);
        return this.evaluateAt(test.value ? node.consequent : node.alternate, depth);
      }
      case AST_NODE_TYPES.MemberExpression:
        return this.member(node, depth);
      case AST_NODE_TYPES.CallExpression:
        return this.call(node, depth);
      case AST_NODE_TYPES.SequenceExpression:
        return this.evaluateAt(node.expressions[node.expressions.length - 1]!, depth);
      default:
        return unknown(node);
    }
  }

  private identifier(node: TSESTree.Identifier, depth: number): StaticValue {
    const variable = findVariableFor(this.sourceCode, node);
    if (!variable || variable.defs.length === 0) {
      // Unshadowed globals with fixed values.
      if (node.name === 'undefined') return primitive(undefined, node);
      if (node.name === 'Infinity') return primitive(Infinity, node);
      if (node.name === 'NaN') return primitive(NaN, node);
      return unknown(node);
    }
    const init = singleAssignedValue(variable);
    if (init) return this.evaluateAt(init, depth);
    // `const { redis } = require('./config')`: the path into the one value destructured.
    const writes = writesOf(variable);
    const only = writes.length === 1 ? writes[0] : undefined;
    if (
      only?.value &&
      only.pattern &&
      only.pattern.length > 0 &&
      variable.defs.every((def) => def.type === 'Variable') &&
      // A default (`{ timeout = 500 }`) stands in for what is absent: not read here.
      !(only.node.type === AST_NODE_TYPES.VariableDeclarator && hasDefault(only.node.id))
    ) {
      let value = this.evaluateAt(only.value, depth);
      for (const key of only.pattern) value = propertyOf(value, key, node);
      return value;
    }
    if (this.external && variable.defs.some((def) => def.type === 'ImportBinding' || def.type === 'Parameter')) {
      return this.external(node, variable) ?? unknown(node);
    }
    return unknown(node);
  }

  /**
   * An object literal. A spread of a run-time choice between known objects,
   * `...(env.TLS ? { tls: {} } : {})` or `...(env.TLS && { tls: {} })`, is read once per
   * outcome and the outcomes joined: what every outcome agrees on is known, a key only some
   * outcomes set is there with an unknown value, a key none sets stays absent.
   */
  private object(node: TSESTree.ObjectExpression, depth: number): StaticValue {
    const choices = node.properties.flatMap((property) => {
      if (property.type !== AST_NODE_TYPES.SpreadElement || this.evaluateAt(property.argument, depth).kind !== 'unknown') return [];
      const outcomes = this.spreadOutcomes(property.argument, depth);
      return outcomes ? [{ property, outcomes }] : [];
    });
    if (choices.length === 0 || choices.length > MAX_SPREAD_CHOICES) return this.objectWith(node, depth, undefined);
    let joined: StaticValue | undefined;
    const variants = choices.reduce<Map<TSESTree.SpreadElement, StaticValue>[]>(
      (partial, choice) => partial.flatMap((chosen) => choice.outcomes.map((outcome) => new Map(chosen).set(choice.property, outcome))),
      [new Map()],
    );
    for (const chosen of variants) {
      const variant = this.objectWith(node, depth, chosen);
      joined = joined ? joinValues(joined, variant, node) : variant;
    }
    return joined!.kind === 'object' ? { ...joined!, node } : joined!;
  }

  /** The objects a spread argument may be: each branch of a run-time choice, `{}` for a falsy `&&`. */
  private spreadOutcomes(argument: TSESTree.Node, depth: number): StaticValue[] | undefined {
    const node = unwrapExpression(argument);
    const empty: StaticValue = { kind: 'primitive', value: undefined, node };
    let branches: (TSESTree.Node | undefined)[];
    if (node.type === AST_NODE_TYPES.ConditionalExpression) branches = [node.consequent, node.alternate];
    else if (node.type === AST_NODE_TYPES.LogicalExpression && node.operator === '&&') branches = [undefined, node.right];
    else return undefined;
    const outcomes = branches.map((branch) => (branch ? this.evaluateAt(branch, depth) : empty));
    const usable = outcomes.every((outcome) => outcome.kind === 'object' || (outcome.kind === 'primitive' && !outcome.value));
    return usable ? outcomes : undefined;
  }

  private objectWith(node: TSESTree.ObjectExpression, depth: number, branchOf: Map<TSESTree.SpreadElement, StaticValue> | undefined): StaticValue {
    const properties = new Map<string, StaticProperty>();
    let complete = true;
    for (const property of node.properties) {
      if (property.type === AST_NODE_TYPES.SpreadElement) {
        const spread = branchOf?.get(property) ?? this.evaluateAt(property.argument, depth);
        if (spread.kind === 'object') {
          for (const [key, value] of spread.properties) properties.set(key, value);
          complete &&= spread.complete;
        } else if (spread.kind === 'primitive' && !spread.value) {
          // `...undefined` adds nothing.
        } else {
          // Anything set so far may be overridden by what we can't see.
          properties.clear();
          complete = false;
        }
        continue;
      }
      const key = staticPropertyName(property);
      if (key === undefined) {
        complete = false;
        continue;
      }
      const value =
        property.kind === 'init' && !property.method
          ? this.evaluateAt(property.value, depth)
          : property.method
            ? ({ kind: 'function', node: property.value } as StaticValue)
            : unknown(property.value);
      properties.set(key, { value, property });
    }
    return { kind: 'object', properties, complete, node };
  }

  private binary(node: TSESTree.BinaryExpression, depth: number): StaticValue {
    if (node.left.type === AST_NODE_TYPES.PrivateIdentifier) return unknown(node);
    const left = this.evaluateAt(node.left, depth);
    const right = this.evaluateAt(node.right, depth);
    if (left.kind !== 'primitive' || right.kind !== 'primitive') return unknown(node);
    const folded = foldBinary(node.operator, left.value, right.value);
    return folded ? primitive(folded.value, node) : unknown(node);
  }

  private member(node: TSESTree.MemberExpression, depth: number): StaticValue {
    const object = unwrapExpression(node.object);
    const name = staticPropertyName(node);
    if (name === undefined) return unknown(node);
    if (object.type === AST_NODE_TYPES.Identifier && isUnshadowedGlobal(object, this.sourceCode)) {
      if (object.name === 'Number' && name in NUMBER_CONSTANTS) return primitive(NUMBER_CONSTANTS[name], node);
      if (object.name === 'Math' && (name === 'PI' || name === 'E')) return primitive(Math[name], node);
    }
    const target = this.evaluateAt(object, depth);
    if (target.kind === 'object') return propertyOf(target, name, node);
    if (target.kind === 'array') {
      if (name === 'length' && target.complete) return primitive(target.elements.length, node);
      const index = Number(name);
      if (Number.isInteger(index) && target.complete) return target.elements[index] ?? primitive(undefined, node);
    }
    if (target.kind === 'primitive' && typeof target.value === 'string' && name === 'length') {
      return primitive(target.value.length, node);
    }
    return unknown(node);
  }

  private call(node: TSESTree.CallExpression, depth: number): StaticValue {
    const specifier = requireSpecifier(node);
    if (specifier !== undefined) return this.required?.(specifier, node) ?? unknown(node);
    const callee = unwrapExpression(node.callee);
    const args = node.arguments.map((argument) =>
      argument.type === AST_NODE_TYPES.SpreadElement ? unknown(argument) : this.evaluateAt(argument, depth),
    );
    const numbers = args.map(toNumber);
    const allNumbers = numbers.every((n): n is number => n !== undefined);
    if (callee.type === AST_NODE_TYPES.MemberExpression && callee.object.type === AST_NODE_TYPES.Identifier) {
      const owner = callee.object.name;
      const method = staticPropertyName(callee);
      if (!isUnshadowedGlobal(callee.object, this.sourceCode)) return unknown(node);
      if (owner === 'Math' && allNumbers && method) {
        const fn = MATH_FUNCTIONS[method];
        if (fn) return primitive(fn(...numbers), node);
      }
      if (owner === 'Number' && method === 'parseInt' && allNumbers) return primitive(Math.trunc(numbers[0]!), node);
      if (owner === 'Number' && method === 'parseFloat' && allNumbers) return primitive(numbers[0], node);
      return unknown(node);
    }
    if (callee.type === AST_NODE_TYPES.Identifier && isUnshadowedGlobal(callee, this.sourceCode)) {
      if ((callee.name === 'Number' || callee.name === 'parseFloat') && allNumbers && numbers.length === 1) {
        return primitive(numbers[0], node);
      }
      if (callee.name === 'parseInt' && numbers.length >= 1 && numbers[0] !== undefined) {
        return primitive(Math.trunc(numbers[0]), node);
      }
      if (callee.name === 'String' && args[0]?.kind === 'primitive') return primitive(String(args[0].value), node);
    }
    return unknown(node);
  }
}

/** Run-time choices in one object literal that are read outcome by outcome (2^n outcomes). */
const MAX_SPREAD_CHOICES = 3;

/**
 * What two possible values have in common: equal primitives stay, objects join key by key (a
 * key one of them lacks joins with absent), anything else is unknown.
 */
function joinValues(a: StaticValue, b: StaticValue, at: TSESTree.Node): StaticValue {
  // Equal values from different places (one per branch) are known, but no one property sets them.
  if (a.kind === 'primitive' && b.kind === 'primitive' && Object.is(a.value, b.value)) return a;
  if (a.kind !== 'object' || b.kind !== 'object') return unknown(at);
  const properties = new Map<string, StaticProperty>();
  for (const key of new Set([...a.properties.keys(), ...b.properties.keys()])) {
    const left = a.properties.get(key);
    const right = b.properties.get(key);
    const property = left?.property ?? right?.property;
    if (left && right) properties.set(key, { value: joinValues(left.value, right.value, at), property: left.property === right.property ? property : undefined });
    else properties.set(key, { value: joinWithAbsent((left ?? right)!.value, at), property });
  }
  return { kind: 'object', properties, complete: a.complete && b.complete, node: at };
}

/** A value that may also be absent: an object keeps the keys it sets (each maybe absent); anything else is unknown. */
function joinWithAbsent(value: StaticValue, at: TSESTree.Node): StaticValue {
  if (value.kind !== 'object') return unknown(at);
  const properties = new Map<string, StaticProperty>();
  for (const [key, entry] of value.properties) properties.set(key, { value: joinWithAbsent(entry.value, at), property: entry.property });
  return { ...value, properties };
}

function hasDefault(pattern: TSESTree.Node): boolean {
  switch (pattern.type) {
    case AST_NODE_TYPES.AssignmentPattern:
      return true;
    case AST_NODE_TYPES.ObjectPattern:
      return pattern.properties.some((property) => (property.type === AST_NODE_TYPES.Property ? hasDefault(property.value) : hasDefault(property.argument)));
    case AST_NODE_TYPES.ArrayPattern:
      return pattern.elements.some((element) => element !== null && hasDefault(element));
    default:
      return false;
  }
}

/** `value[key]` as far as it is known. */
function propertyOf(value: StaticValue, key: string, at: TSESTree.Node): StaticValue {
  if (value.kind !== 'object') return unknown(at);
  const property = value.properties.get(key);
  if (property) return property.value;
  return value.complete ? primitive(undefined, at) : unknown(at);
}

/**
 * A value read from another module, in this file's terms: its nodes belong to another tree, so
 * everything points at `at` (the import that reads it here), no property or literal can be
 * reported or edited from here, and functions are unknown (their bodies are out of sight).
 */
export function foreignValue(value: StaticValue, at: TSESTree.Node, evaluator?: StaticEvaluator): StaticValue {
  switch (value.kind) {
    case 'primitive':
      return primitive(value.value, at);
    case 'object': {
      const properties = new Map<string, StaticProperty>();
      for (const [key, entry] of value.properties) properties.set(key, { value: foreignValue(entry.value, at, evaluator), property: undefined });
      return { kind: 'object', properties, complete: value.complete, node: at };
    }
    case 'array':
      return { kind: 'array', elements: value.elements.map((element) => foreignValue(element, at, evaluator)), complete: value.complete, node: at };
    case 'unknown':
      // `uri: process.env.REDIS_URL`: unknown, but a string, not an options object (see isPrimitiveShaped).
      return { kind: 'unknown', node: at, primitiveShaped: value.primitiveShaped || (evaluator?.isPrimitiveShaped(value.node) ?? false) };
    default:
      return unknown(at);
  }
}

function primitive(value: Primitive, node: TSESTree.Node): StaticValue {
  return { kind: 'primitive', value, node };
}

function unknown(node: TSESTree.Node): StaticValue {
  return { kind: 'unknown', node };
}

/** A number from a static value; numeric strings count, empty strings don't. */
export function toNumber(value: StaticValue | undefined): number | undefined {
  return value?.kind === 'primitive' ? primitiveToNumber(value.value) : undefined;
}

/** Looks up a property path (`['socket', 'connectTimeout']`) in a static value. */
export function lookupOption(value: StaticValue | undefined, path: readonly string[]): OptionLookup {
  let current: StaticValue | undefined = value;
  let property: TSESTree.Property | undefined;
  for (const key of path) {
    if (!current) return { status: 'unknown' };
    if (current.kind === 'primitive' && (current.value === undefined || current.value === null)) {
      return { status: 'absent' };
    }
    if (current.kind !== 'object') return { status: 'unknown' };
    const next = current.properties.get(key);
    if (!next) return current.complete ? { status: 'absent' } : { status: 'unknown' };
    current = next.value;
    property = next.property;
  }
  if (current?.kind === 'primitive' && current.value === undefined) return { status: 'absent' };
  return current ? { status: 'present', value: current, property } : { status: 'unknown' };
}
