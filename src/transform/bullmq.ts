/**
 * Clients handed to BullMQ, on the jscodeshift AST: the codemods' counterpart of
 * src/analysis/bullmq.ts, with the same decisions, so `add-timeouts` exempts exactly the clients
 * `require-timeout` exempts. A Worker or QueueEvents blocks on its connection on purpose and
 * duplicates it for its blocking connection, so a `commandTimeout` there would reject BullMQ's
 * own waits; a client set up the way BullMQ requires (`maxRetriesPerRequest: null`) that leaves
 * this file's sight may well be one.
 */
import { BULLMQ_CONNECTION_OPTION, BULLMQ_CONSUMERS } from '../catalog';
import { walk, type Node } from './ast';
import { catalogStep, leavesSight } from './bindings';
import type { StaticEvaluator } from './evaluate';
import type { FileContext } from './file-context';
import type { Value } from './origins';
import { clientOptionsOf, creationOf, isIoredisFamily } from './timeouts';

export type BullmqRole = 'blocking-connection' | 'possible-connection' | 'none';

export class BullmqConnections {
  /** Creation nodes of clients a blocking consumer uses, and of the clients they inherit from. */
  private readonly blockingCreations = new Set<Node>();
  /** `connection` properties of recognised consumers: a client written there goes nowhere unseen. */
  private readonly connectionProperties = new Set<Node>();

  constructor(
    private readonly context: FileContext,
    private readonly evaluator: StaticEvaluator,
  ) {
    walk(context.program, (node) => {
      if (node.type === 'NewExpression') this.consumer(node);
    });
  }

  roleOf(value: Value): BullmqRole {
    if (this.blockingCreations.has(value.creation)) return 'blocking-connection';
    if (!isIoredisFamily(value.library) || value.how === 'type') return 'none';
    const creation = creationOf(value);
    if (!creation) return 'none';
    const retries = clientOptionsOf(creation, this.evaluator).get(['maxRetriesPerRequest']);
    const bullmqReady = retries.status === 'present' && retries.value.kind === 'primitive' && retries.value.value === null;
    if (!bullmqReady) return 'none';
    const kept = (property: Node) => this.connectionProperties.has(property);
    return leavesSight(this.context, value.creation, catalogStep(this.context, value.creation), kept) ? 'possible-connection' : 'none';
  }

  private consumer(call: Node): void {
    const target = this.context.origins.resolve(call.callee);
    if (target?.type !== 'export' || target.library.id !== 'bullmq') return;
    const spec = Object.prototype.hasOwnProperty.call(BULLMQ_CONSUMERS, target.name) ? BULLMQ_CONSUMERS[target.name] : undefined;
    const optionsNode = spec && call.arguments[spec.optionsArg];
    if (!spec || !optionsNode || call.arguments.some((arg: Node) => arg.type === 'SpreadElement')) return;
    const options = this.evaluator.evaluate(optionsNode);
    if (options.kind !== 'object') return;
    const entry = options.properties.get(BULLMQ_CONNECTION_OPTION);
    if (!entry) return;
    if (entry.property) this.connectionProperties.add(entry.property);
    if (!spec.blocking) return;
    const expression = entry.property?.value ?? entry.value.node;
    // A duplicate inherits its source's options, so the source serves BullMQ's waits too.
    for (let current = this.context.origins.valueOf(expression); current; current = creationOf(current)?.inheritsFrom) {
      this.blockingCreations.add(current.creation);
    }
  }
}
