/**
 * What a call on a recognised Redis value does, on the jscodeshift AST: the codemods'
 * counterpart of src/analysis/commands.ts, with the same answers. Which command it sends,
 * whether it blocks the connection or takes it over, and for how long it blocks. Method
 * spellings come from the catalog (`blockingMethods`, `rawCommandMethods`, `takeoverMethods`),
 * never from a method's name alone.
 */
import { BLOCKING_COMMANDS, TAKEOVER_COMMANDS, type BlockingMethodSpec, type MethodSpec, type TimeoutLocation } from '../catalog';
import { isCall, methodCall, unwrap, type Node } from './ast';
import { toNumber, type StaticEvaluator } from './evaluate';
import type { FileContext } from './file-context';
import type { Value } from './origins';

export interface CommandTimeout {
  /** The timeout in the command's own unit, when static. */
  value: number | undefined;
  /** The same in milliseconds. */
  ms: number | undefined;
}

export type CommandCall =
  | {
      type: 'blocking';
      command: string;
      receiver: Value;
      call: Node;
      method: string;
      timeout: CommandTimeout;
      /** node-redis 4: the call runs on an isolated client (`commandOptions({ isolated: true })`). */
      isolated: boolean;
    }
  | { type: 'takeover'; command: string; receiver: Value; call: Node; method: string }
  /** Any other command: GET, SET, a pipeline. */
  | { type: 'command'; command: string; receiver: Value; call: Node; method: string }
  /** Not a command: lifecycle, listeners, duplicate, release. */
  | { type: 'lifecycle'; spec: MethodSpec; receiver: Value; call: Node; method: string };

/** Names that are JavaScript plumbing rather than Redis commands. */
const NOT_COMMANDS = new Set([
  'then', 'catch', 'finally', 'toString', 'valueOf', 'emit', 'removeListener', 'removeAllListeners', 'off',
  'listeners', 'listenerCount', 'setMaxListeners', 'getMaxListeners', 'eventNames', 'rawListeners',
]);

export class CommandClassifier {
  constructor(
    private readonly context: FileContext,
    private readonly evaluator: StaticEvaluator,
  ) {}

  /** Classifies `receiver.method(...)` when the receiver is a recognised Redis value. */
  classify(call: Node): CommandCall | undefined {
    const parts = methodCall(call);
    if (!parts) return undefined;
    const receiver = this.context.origins.valueOf(parts.receiver);
    return receiver ? this.classifyOn(receiver, parts.method, call) : undefined;
  }

  /** Classifies a method call whose receiver is already known. */
  classifyOn(receiver: Value, method: string, call: Node): CommandCall | undefined {
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

  private blockingMethod(spec: BlockingMethodSpec, receiver: Value, call: Node, method: string): CommandCall | undefined {
    let args: Node[] = call.arguments;
    let isolated = false;
    // node-redis 4 takes `commandOptions({...})` as an optional first argument.
    const first = args[0];
    if (receiver.library.id === 'node-redis' && first && this.isCommandOptions(first)) {
      isolated = this.isIsolatedOptions(unwrap(first).arguments[0]);
      args = args.slice(1);
    }
    // ioredis accepts a trailing node-style callback.
    const last = args[args.length - 1];
    if (last && isFunctionLike(last)) args = args.slice(0, -1);
    const timeout = this.timeoutAt(spec.command, spec.timeout, args);
    if (spec.blocksOnlyWithTimeout && timeout === 'absent') return { type: 'command', command: spec.command, receiver, call, method };
    if (spec.blocksOnlyWithTimeout && timeout === 'unknown') return undefined;
    return {
      type: 'blocking',
      command: spec.command,
      receiver,
      call,
      method,
      timeout: typeof timeout === 'object' ? timeout : { value: undefined, ms: undefined },
      isolated,
    };
  }

  private rawCommand(raw: { argv: 'spread' | 'array'; arg: number }, receiver: Value, call: Node, method: string): CommandCall | undefined {
    let argv: Node[];
    if (raw.argv === 'spread') {
      argv = call.arguments.slice(raw.arg);
      const last = argv[argv.length - 1];
      if (last && isFunctionLike(last)) argv = argv.slice(0, -1);
    } else {
      const array = call.arguments[raw.arg];
      const inner = array && unwrap(array);
      if (inner?.type !== 'ArrayExpression') return undefined;
      const head = inner.elements[0];
      if (!head || head.type === 'SpreadElement') return undefined;
      argv = inner.elements.filter((element: Node | null) => !!element && element.type !== 'SpreadElement');
    }
    const name = argv[0] ? this.evaluator.string(argv[0]) : undefined;
    if (name === undefined) return undefined;
    const command = name.toUpperCase();
    const protocol = BLOCKING_COMMANDS[command];
    if (protocol) {
      const timeout = this.timeoutAt(command, protocol.timeout, argv.slice(1));
      if (protocol.blocksOnlyWithTimeout && timeout === 'absent') return { type: 'command', command, receiver, call, method };
      if (protocol.blocksOnlyWithTimeout && timeout === 'unknown') return undefined;
      const options = call.arguments[raw.arg + 1];
      return {
        type: 'blocking',
        command,
        receiver,
        call,
        method,
        timeout: typeof timeout === 'object' ? timeout : { value: undefined, ms: undefined },
        // node-redis 4: `sendCommand(args, { isolated: true })`.
        isolated: receiver.library.id === 'node-redis' && raw.argv === 'array' && options !== undefined && this.isIsolatedOptions(options),
      };
    }
    if (TAKEOVER_COMMANDS[command]) return { type: 'takeover', command, receiver, call, method };
    return { type: 'command', command, receiver, call, method };
  }

  /** Finds the timeout argument; 'absent' when provably not given, 'unknown' when it can't be told. */
  private timeoutAt(command: string, location: TimeoutLocation, args: Node[]): CommandTimeout | 'absent' | 'unknown' {
    if (args.some((arg) => arg.type === 'SpreadElement')) {
      if ('keyword' in location) {
        // A spread may hide BLOCK; only a visible BLOCK counts.
        const index = args.findIndex((arg) => this.evaluator.string(arg)?.toUpperCase() === location.keyword);
        return index < 0 ? 'unknown' : this.timeoutFrom(command, args[index + 1]);
      }
      return this.timeoutFrom(command, undefined);
    }
    if ('keyword' in location) {
      const index = args.findIndex((arg) => this.evaluator.string(arg)?.toUpperCase() === location.keyword);
      if (index < 0) return args.every((arg) => this.evaluator.evaluate(arg).kind !== 'unknown') ? 'absent' : 'unknown';
      return this.timeoutFrom(command, args[index + 1]);
    }
    const index = location.arg < 0 ? args.length + location.arg : location.arg;
    const node = args[index];
    if ('key' in location) {
      if (!node) return 'absent';
      const options = this.evaluator.evaluate(node);
      if (options.kind !== 'object') return 'unknown';
      const property = options.properties.get(location.key);
      if (!property) return options.complete ? 'absent' : 'unknown';
      if (property.value.kind === 'primitive' && property.value.value === undefined) return 'absent';
      const n = toNumber(property.value);
      return { value: n, ms: n === undefined ? undefined : toMs(command, n) };
    }
    return this.timeoutFrom(command, node);
  }

  private timeoutFrom(command: string, node: Node | undefined): CommandTimeout {
    const value = node ? this.evaluator.number(node) : undefined;
    return { value, ms: value === undefined ? undefined : toMs(command, value) };
  }

  private isCommandOptions(node: Node): boolean {
    const inner = unwrap(node);
    if (!isCall(inner)) return false;
    const target = this.context.origins.resolve(inner.callee);
    return target?.type === 'export' && target.spec.type === 'helper' && target.spec.role === 'command-options';
  }

  private isIsolatedOptions(node: Node | undefined): boolean {
    if (!node) return false;
    const options = this.evaluator.evaluate(node);
    if (options.kind !== 'object') return false;
    const isolated = options.properties.get('isolated')?.value;
    return isolated?.kind === 'primitive' && isolated.value === true;
  }
}

function toMs(command: string, value: number): number {
  return BLOCKING_COMMANDS[command]?.unit === 's' ? value * 1000 : value;
}

function isFunctionLike(node: Node): boolean {
  const inner = unwrap(node);
  return inner.type === 'ArrowFunctionExpression' || inner.type === 'FunctionExpression';
}
