/**
 * What a call on a recognised Redis value does: which command it sends, whether that command
 * blocks the connection or takes it over, and the timeout it blocks for. Method spellings come
 * from the catalog (ioredis lower case and `…Buffer`, node-redis camelCase and upper case, glide
 * lower case) and the raw forms (`call('blpop', …)`, `sendCommand([...])`, `customCommand([...])`).
 */
import type { TSESTree } from '@typescript-eslint/utils';
import {
  BLOCKING_COMMANDS,
  TAKEOVER_COMMANDS,
  type BlockingMethodSpec,
  type MethodSpec,
  type TimeoutLocation,
} from '../catalog';
import { AST_NODE_TYPES, isFunctionNode, methodCall, unwrapExpression } from './ast';
import type { OriginResolver, RedisValue } from './origin';
import { toNumber, type StaticEvaluator, type StaticValue } from './static-value';

export interface CommandTimeout {
  /** The timeout in the command's own unit, when static. */
  value: number | undefined;
  /** The same in milliseconds. */
  ms: number | undefined;
  node: TSESTree.Node | undefined;
}

export type CommandCall =
  | {
      type: 'blocking';
      command: string;
      receiver: RedisValue;
      call: TSESTree.CallExpression;
      method: string;
      timeout: CommandTimeout;
      /** node-redis 4: the call runs on an isolated client (`commandOptions({ isolated: true })`). */
      isolated: boolean;
    }
  | { type: 'takeover'; command: string; receiver: RedisValue; call: TSESTree.CallExpression; method: string }
  /** Any other command: GET, SET, a pipeline, `pool.execute`. */
  | { type: 'command'; command: string; receiver: RedisValue; call: TSESTree.CallExpression; method: string }
  /** Not a command: lifecycle, listeners, duplicate, release. */
  | { type: 'lifecycle'; spec: MethodSpec; receiver: RedisValue; call: TSESTree.CallExpression; method: string };

/** Names that are JavaScript plumbing rather than Redis commands. */
const NOT_COMMANDS = new Set([
  'then', 'catch', 'finally', 'toString', 'valueOf', 'emit', 'removeListener', 'removeAllListeners', 'off',
  'listeners', 'listenerCount', 'setMaxListeners', 'getMaxListeners', 'eventNames', 'rawListeners',
  // Client methods that send nothing on the connection: ioredis script and command registration
  // (built/utils/Commander.d.ts, built/Redis.d.ts), node-redis socket ref/unref (client/index.d.ts).
  'defineCommand', 'addBuiltinCommand', 'createBuiltinCommand', 'getBuiltinCommands', 'ref', 'unref',
]);

export class CommandClassifier {
  constructor(
    private readonly origins: OriginResolver,
    private readonly evaluator: StaticEvaluator,
  ) {}

  /** Classifies `receiver.method(...)` when the receiver is a recognised Redis value. */
  classify(node: TSESTree.CallExpression): CommandCall | undefined {
    const parts = methodCall(node);
    if (!parts) return undefined;
    const receiver = this.origins.valueOf(parts.receiver);
    if (!receiver) return undefined;
    return this.classifyOn(receiver, parts.method, node);
  }

  /** Classifies a method call whose receiver is already known. */
  classifyOn(receiver: RedisValue, method: string, call: TSESTree.CallExpression): CommandCall | undefined {
    const valueSpec = receiver.library.values[receiver.kind];
    if (!valueSpec) return undefined;
    const lifecycle = valueSpec.methods[method];
    if (lifecycle) return { type: 'lifecycle', spec: lifecycle, receiver, call, method };
    if (!valueSpec.commandStyle || NOT_COMMANDS.has(method)) return undefined;
    const library = receiver.library;

    const blocking = library.blockingMethods?.[method];
    if (blocking) return this.blockingMethod(blocking, receiver, call, method);

    const raw = library.rawCommandMethods?.[method];
    if (raw) return this.rawCommand(raw, receiver, call, method);

    const takeover = library.takeoverMethods?.[method];
    if (takeover) return { type: 'takeover', command: takeover, receiver, call, method };

    return { type: 'command', command: method.toUpperCase(), receiver, call, method };
  }

  private blockingMethod(
    spec: BlockingMethodSpec,
    receiver: RedisValue,
    call: TSESTree.CallExpression,
    method: string,
  ): CommandCall | undefined {
    let args: readonly TSESTree.Node[] = call.arguments;
    let isolated = false;
    // node-redis 4 takes `commandOptions({...})` as an optional first argument.
    const first = args[0];
    if (receiver.library.isolatedCalls && first && this.isCommandOptions(first)) {
      isolated = this.isIsolatedOptions((first as TSESTree.CallExpression).arguments[0]);
      args = args.slice(1);
    }
    const fromArrays = receiver.library.commandArgvArrays ? argvFromArrays(args) : undefined;
    if (fromArrays === null) return undefined;
    if (fromArrays) {
      args = fromArrays;
    } else {
      // ioredis and node_redis 2/3 accept a trailing node-style callback: a function, or a name
      // for one (`client.blpop(key, 0, done)`) right after a static timeout.
      const last = args[args.length - 1];
      if (last && (isFunctionLike(last) || this.isCallbackAfterTimeout(spec, args))) args = args.slice(0, -1);
    }
    return blockingCall(spec.command, spec, this.timeoutAt(spec.command, spec.timeout, args), receiver, call, method, isolated);
  }

  /**
   * `blpop(key, 0, done)`: the timeout comes last, the argument before the last is a static
   * number and the last one is not: the last is the reply callback, not a timeout.
   */
  private isCallbackAfterTimeout(spec: BlockingMethodSpec, args: readonly TSESTree.Node[]): boolean {
    if (!('arg' in spec.timeout) || spec.timeout.arg !== -1 || args.length < 3) return false;
    const last = args[args.length - 1]!;
    const beforeLast = args[args.length - 2]!;
    if (last.type === AST_NODE_TYPES.SpreadElement || beforeLast.type === AST_NODE_TYPES.SpreadElement) return false;
    const lastValue = this.evaluator.evaluate(last);
    if (lastValue.kind !== 'unknown' && lastValue.kind !== 'function') return false;
    return this.evaluator.number(beforeLast) !== undefined;
  }

  private rawCommand(
    raw: { argv: 'spread' | 'array' | 'name-and-array'; arg: number },
    receiver: RedisValue,
    call: TSESTree.CallExpression,
    method: string,
  ): CommandCall | undefined {
    let argv: readonly TSESTree.Node[];
    if (raw.argv === 'name-and-array') {
      const name = call.arguments[raw.arg];
      const rest = call.arguments[raw.arg + 1];
      // No arguments, or the callback in their place.
      if (!name) return undefined;
      if (!rest || isFunctionLike(rest)) argv = [name];
      else {
        const elements = arrayElements(rest);
        if (!elements) return undefined;
        argv = [name, ...elements];
      }
    } else if (raw.argv === 'spread') {
      argv = call.arguments.slice(raw.arg);
      const last = argv[argv.length - 1];
      if (last && isFunctionLike(last)) argv = argv.slice(0, -1);
    } else {
      const array = call.arguments[raw.arg];
      const inner = array && unwrapExpression(array);
      if (inner?.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
      // The command name may still be static even if later arguments are spread.
      const head = inner.elements[0];
      if (!head || head.type === AST_NODE_TYPES.SpreadElement) return undefined;
      argv = inner.elements.filter((e): e is TSESTree.Expression => !!e && e.type !== AST_NODE_TYPES.SpreadElement);
    }
    const name = argv[0] ? this.evaluator.string(argv[0]) : undefined;
    if (name === undefined) return undefined;
    const command = name.toUpperCase();
    const rest = argv.slice(1);
    const protocol = BLOCKING_COMMANDS[command];
    if (protocol) {
      // node-redis 4: `sendCommand(args, { isolated: true })`.
      const isolated = !!receiver.library.isolatedCalls && raw.argv === 'array' && this.isIsolatedOptions(call.arguments[raw.arg + 1]);
      return blockingCall(command, protocol, this.timeoutAt(command, protocol.timeout, rest), receiver, call, method, isolated);
    }
    if (TAKEOVER_COMMANDS[command]) return { type: 'takeover', command, receiver, call, method };
    return { type: 'command', command, receiver, call, method };
  }

  /** Finds the timeout argument; 'absent' when provably not given, 'unknown' when it can't be told. */
  private timeoutAt(
    command: string,
    location: TimeoutLocation,
    args: readonly TSESTree.Node[],
  ): CommandTimeout | 'absent' | 'unknown' {
    if ('keyword' in location) {
      const index = args.findIndex((arg) => this.evaluator.string(arg)?.toUpperCase() === location.keyword);
      if (index >= 0) return this.timeoutFrom(command, args[index + 1]);
      // Absent only when every argument is static: a spread may hide BLOCK.
      return args.every((arg) => this.evaluator.evaluate(arg).kind !== 'unknown') ? 'absent' : 'unknown';
    }
    if (args.some((arg) => arg.type === AST_NODE_TYPES.SpreadElement)) return this.timeoutFrom(command, undefined);
    const index = location.arg < 0 ? args.length + location.arg : location.arg;
    const node = args[index];
    if ('key' in location) {
      if (!node) return 'absent';
      const options: StaticValue = this.evaluator.evaluate(node);
      if (options.kind !== 'object') return 'unknown';
      const property = options.properties.get(location.key);
      if (!property) return options.complete ? 'absent' : 'unknown';
      if (property.value.kind === 'primitive' && property.value.value === undefined) return 'absent';
      return commandTimeout(command, toNumber(property.value), property.property?.value ?? property.value.node);
    }
    return this.timeoutFrom(command, node);
  }

  private timeoutFrom(command: string, node: TSESTree.Node | undefined): CommandTimeout {
    return commandTimeout(command, node ? this.evaluator.number(node) : undefined, node);
  }

  private isCommandOptions(node: TSESTree.Node): boolean {
    const inner = unwrapExpression(node);
    if (inner.type !== AST_NODE_TYPES.CallExpression) return false;
    const target = this.origins.resolve(inner.callee);
    return target?.type === 'export' && target.spec.type === 'helper' && target.spec.role === 'command-options';
  }

  private isIsolatedOptions(node: TSESTree.Node | undefined): boolean {
    const options = node && this.evaluator.evaluate(node);
    if (options?.kind !== 'object') return false;
    const isolated = options.properties.get('isolated')?.value;
    return isolated?.kind === 'primitive' && isolated.value === true;
  }
}

/** A blocking command call, or (for a command that blocks only with a timeout) what it is without one. */
function blockingCall(
  command: string,
  protocol: { blocksOnlyWithTimeout?: boolean },
  timeout: CommandTimeout | 'absent' | 'unknown',
  receiver: RedisValue,
  call: TSESTree.CallExpression,
  method: string,
  isolated: boolean,
): CommandCall | undefined {
  if (protocol.blocksOnlyWithTimeout && timeout === 'absent') return { type: 'command', command, receiver, call, method };
  if (protocol.blocksOnlyWithTimeout && timeout === 'unknown') return undefined;
  const known = typeof timeout === 'object' ? timeout : { value: undefined, ms: undefined, node: undefined };
  return { type: 'blocking', command, receiver, call, method, timeout: known, isolated };
}

function commandTimeout(command: string, value: number | undefined, node: TSESTree.Node | undefined): CommandTimeout {
  const ms = value !== undefined && BLOCKING_COMMANDS[command]?.unit === 's' ? value * 1000 : value;
  return { value, ms, node };
}

/** A function written in place (a node-style callback). */
function isFunctionLike(node: TSESTree.Node): boolean {
  return isFunctionNode(unwrapExpression(node));
}

/**
 * node_redis 2/3 argument arrays: `cmd([a, b], cb)` and `cmd(a, [b], cb)` as the argv they stand
 * for, without the callback. Undefined when the call has neither shape; null when an array has
 * holes.
 */
function argvFromArrays(args: readonly TSESTree.Node[]): TSESTree.Node[] | null | undefined {
  const first = args[0] && arrayElements(args[0]);
  if (first !== undefined) return first;
  const second = args.length > 1 && args.length <= 3 ? arrayElements(args[1]!) : undefined;
  if (second === undefined || second === null) return second;
  return [args[0]!, ...second];
}

/** The elements of an array literal (spreads kept); undefined for anything else, null with holes. */
function arrayElements(node: TSESTree.Node): TSESTree.Node[] | null | undefined {
  const inner = unwrapExpression(node);
  if (inner.type !== AST_NODE_TYPES.ArrayExpression) return undefined;
  if (inner.elements.some((element) => element === null)) return null;
  return inner.elements as TSESTree.Node[];
}
