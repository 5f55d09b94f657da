/**
 * What a method call on a recognised connection does, over the TypeScript AST: a blocking
 * command (and for how long), another command, or lifecycle plumbing. Spellings come from the
 * catalog exactly as the lint rules read them (src/analysis/commands.ts does this over ESTree):
 * library methods, `…Buffer` twins, `call('blpop', …)`, `sendCommand([...])`,
 * `customCommand([...])`, XREAD only with BLOCK, node-redis 4 `commandOptions({ isolated })`.
 */
import { Node, type CallExpression } from 'ts-morph';
import {
  BLOCKING_COMMANDS,
  TAKEOVER_COMMANDS,
  timeoutToMs,
  type BlockingMethodSpec,
  type LibraryCatalog,
  type TimeoutLocation,
  type ValueSpec,
} from '../catalog';
import { lookupOption, toNumber, type ProjectEvaluator } from './evaluate';
import type { ProjectResolver } from './resolver';
import { unwrap } from './syntax';

export type CommandUse =
  | {
      type: 'blocking';
      command: string;
      /** The timeout in milliseconds: 0 blocks forever, null when it can't be known. */
      timeoutMs: number | null;
      /** node-redis 4 `commandOptions({ isolated: true })`: runs on the isolation pool. */
      isolated: boolean;
    }
  | { type: 'command'; command: string; isolated: boolean }
  /** The connection takes over (SUBSCRIBE, MONITOR): neither blocking nor ordinary work. */
  | { type: 'takeover'; command: string }
  /** `executeIsolated(fn)`: lends a client from the isolation pool. */
  | { type: 'isolation' };

/** Names that are JavaScript plumbing rather than Redis commands. */
const NOT_COMMANDS = new Set([
  'then', 'catch', 'finally', 'toString', 'valueOf', 'emit', 'removeListener', 'removeAllListeners', 'off',
  'listeners', 'listenerCount', 'setMaxListeners', 'getMaxListeners', 'eventNames', 'rawListeners', 'constructor',
]);

export class CommandClassifier {
  constructor(
    private readonly resolver: ProjectResolver,
    private readonly evaluator: ProjectEvaluator,
  ) {}

  /** Classifies `receiver.method(...)` for a receiver whose commands `library` spells. */
  classify(library: LibraryCatalog, valueSpec: ValueSpec, method: string, call: CallExpression): CommandUse | undefined {
    const lifecycle = valueSpec.methods[method];
    if (lifecycle) return lifecycle.type === 'managed' && method === 'executeIsolated' ? { type: 'isolation' } : undefined;
    if (!valueSpec.commandStyle || NOT_COMMANDS.has(method)) return undefined;
    const blocking = library.blockingMethods?.[method];
    if (blocking) return this.blockingMethod(library, blocking, call);
    const raw = library.rawCommandMethods?.[method];
    if (raw) return this.rawCommand(raw, call);
    const takeover = library.takeoverMethods?.[method];
    if (takeover) return { type: 'takeover', command: takeover };
    return { type: 'command', command: method.toUpperCase(), isolated: this.isolatedCall(library, call) };
  }

  /** Whether a method name is a blocking or raw-command spelling in any catalog library. */
  static mayBlock(libraries: readonly LibraryCatalog[], method: string): boolean {
    return libraries.some((library) => library.blockingMethods?.[method] || library.rawCommandMethods?.[method]);
  }

  private blockingMethod(library: LibraryCatalog, spec: BlockingMethodSpec, call: CallExpression): CommandUse | undefined {
    let args: readonly Node[] = call.getArguments();
    const isolated = this.isolatedCall(library, call);
    if (library.id === 'node-redis' && args[0] && this.isCommandOptions(args[0])) args = args.slice(1);
    // ioredis accepts a trailing node-style callback.
    const last = args[args.length - 1];
    if (last && isFunctionExpression(last)) args = args.slice(0, -1);
    const timeout = this.timeoutAt(spec.command, spec.timeout, args);
    if (spec.blocksOnlyWithTimeout && timeout === 'absent') return { type: 'command', command: spec.command, isolated };
    if (spec.blocksOnlyWithTimeout && timeout === 'unknown') return undefined;
    return { type: 'blocking', command: spec.command, timeoutMs: typeof timeout === 'number' ? timeout : null, isolated };
  }

  private rawCommand(raw: { argv: 'spread' | 'array'; arg: number }, call: CallExpression): CommandUse | undefined {
    let argv: readonly Node[];
    if (raw.argv === 'spread') {
      argv = call.getArguments().slice(raw.arg);
      const last = argv[argv.length - 1];
      if (last && isFunctionExpression(last)) argv = argv.slice(0, -1);
    } else {
      const array = call.getArguments()[raw.arg];
      const inner = array && unwrap(array);
      if (!Node.isArrayLiteralExpression(inner)) return undefined;
      const elements = inner.getElements();
      const head = elements[0];
      if (!head || Node.isSpreadElement(head)) return undefined;
      // Arguments after a spread can't be placed; the command name still can.
      const spreadAt = elements.findIndex((element) => Node.isSpreadElement(element));
      argv = spreadAt < 0 ? elements : elements.slice(0, spreadAt);
      if (spreadAt >= 0) argv = [...argv, elements[spreadAt]!];
    }
    const name = argv[0] ? this.evaluator.string(argv[0]) : undefined;
    if (name === undefined) return undefined;
    const command = name.toUpperCase();
    const protocol = BLOCKING_COMMANDS[command];
    if (protocol) {
      const timeout = this.timeoutAt(command, protocol.timeout, argv.slice(1));
      if (protocol.blocksOnlyWithTimeout && timeout === 'absent') return { type: 'command', command, isolated: false };
      if (protocol.blocksOnlyWithTimeout && timeout === 'unknown') return undefined;
      return { type: 'blocking', command, timeoutMs: typeof timeout === 'number' ? timeout : null, isolated: false };
    }
    if (TAKEOVER_COMMANDS[command]) return { type: 'takeover', command };
    return { type: 'command', command, isolated: false };
  }

  /**
   * The timeout in ms: a number, null when present but not static, 'absent' when provably not
   * given, 'unknown' when it can't be told whether it is given.
   */
  private timeoutAt(command: string, location: TimeoutLocation, args: readonly Node[]): number | null | 'absent' | 'unknown' {
    const spread = args.some((arg) => Node.isSpreadElement(arg));
    if ('keyword' in location) {
      // Options come before STREAMS (XREAD [COUNT n] [BLOCK ms] STREAMS key… id…): keys and ids
      // after it are not searched.
      const streams = args.findIndex((arg) => this.evaluator.string(arg)?.toUpperCase() === 'STREAMS');
      if (streams >= 0) args = args.slice(0, streams);
      const index = args.findIndex((arg) => this.evaluator.string(arg)?.toUpperCase() === location.keyword);
      if (index < 0) {
        // A spread (or a dynamic argument) may hide the keyword.
        const allStatic = !spread && args.every((arg) => this.evaluator.evaluate(arg).kind !== 'unknown');
        return allStatic ? 'absent' : 'unknown';
      }
      return this.inMs(command, args[index + 1]);
    }
    if (spread) return null;
    const index = location.arg < 0 ? args.length + location.arg : location.arg;
    const node = args[index];
    if ('key' in location) {
      if (!node) return 'absent';
      const found = lookupOption(this.evaluator.evaluate(node), [location.key]);
      if (found.status === 'absent') return 'absent';
      if (found.status === 'unknown') return 'unknown';
      const n = toNumber(found.value);
      return n === undefined ? null : timeoutToMs(command, n);
    }
    return this.inMs(command, node);
  }

  private inMs(command: string, node: Node | undefined): number | null {
    const value = node ? this.evaluator.number(node) : undefined;
    return value === undefined ? null : timeoutToMs(command, value);
  }

  /** node-redis 4: a leading `commandOptions({ isolated: true })` runs the call on the isolation pool. */
  private isolatedCall(library: LibraryCatalog, call: CallExpression): boolean {
    const first = call.getArguments()[0];
    if (library.id !== 'node-redis' || !first || !this.isCommandOptions(first)) return false;
    const options = (unwrap(first) as CallExpression).getArguments()[0];
    const isolated = options ? lookupOption(this.evaluator.evaluate(options), ['isolated']) : undefined;
    return isolated?.status === 'present' && isolated.value.kind === 'primitive' && isolated.value.value === true;
  }

  private isCommandOptions(node: Node): boolean {
    const inner = unwrap(node);
    if (!Node.isCallExpression(inner)) return false;
    const target = this.resolver.resolve(inner.getExpression());
    return target?.type === 'export' && target.spec.type === 'helper' && target.spec.role === 'command-options';
  }
}

function isFunctionExpression(node: Node): boolean {
  const inner = unwrap(node);
  return Node.isArrowFunction(inner) || Node.isFunctionExpression(inner);
}
