/**
 * Module-level and imported clients on the jscodeshift AST, and what runs on them: the blocking
 * and takeover calls, the ordinary commands, and the lifecycle calls (connect, 'error'
 * listeners, closing) a dedicated duplicate must repeat. Whether a client is shared is decided by
 * `decideSharing` from src/analysis/sharing.ts, the rule's own decision, fed with facts found on
 * this AST.
 */
import { CONNECTION_KINDS, isRedisClientLibrary, type LibraryCatalog } from '../catalog';
import { decideSharing, SUBSCRIBER_COMPANIONS, takesOverConnection, type SharingDecision } from '../analysis/sharing';
import { isCall, isMember, staticName, unwrap, type Node } from './ast';
import { isExportedBinding, referenceUses, type ReferenceUse } from './bindings';
import type { CommandCall, CommandClassifier } from './commands';
import type { StaticEvaluator } from './evaluate';
import type { FileContext } from './file-context';
import type { Value } from './origins';
import type { Binding } from './scope';
import { clientOptionsOf, creationOf, type Creation } from './timeouts';
import type { VersionResolver } from '../analysis/versions';

export type BlockingCall = Extract<CommandCall, { type: 'blocking' | 'takeover' }>;

export interface ClientUses {
  /** Blocking calls, and takeover calls that take this client over, with the receiver identifier. */
  blocking: Array<{ command: BlockingCall; receiver: Node }>;
  /** Ordinary commands. */
  work: Array<{ command: Extract<CommandCall, { type: 'command' }>; loan: Node }>;
  /** Lifecycle method calls: connect, listeners, releases, duplicates. */
  lifecycle: Array<Extract<ReferenceUse, { kind: 'method-call' }>>;
  /** Every other reference (reads, hand-offs, exports, writes). */
  other: ReferenceUse[];
}

export interface ModuleClient {
  binding: Binding;
  name: string;
  value: Value;
  creation: Creation;
  declarator: Node;
  /** The statement the declaration is (the `export` around it, when there is one). */
  statement: Node;
  exported: boolean;
  uses: ClientUses;
}

/** Module-level `const x = <client creation, perhaps chained and awaited>` declarations of this file. */
export function moduleClients(context: FileContext, commands: CommandClassifier, protocolOf: (creation: Creation) => 2 | 3 | undefined): ModuleClient[] {
  const clients: ModuleClient[] = [];
  for (const statement of context.program.body as Node[]) {
    const declaration = statement.type === 'ExportNamedDeclaration' ? statement.declaration : statement;
    if (declaration?.type !== 'VariableDeclaration' || declaration.declarations.length !== 1) continue;
    const declarator = declaration.declarations[0];
    if (declarator.id.type !== 'Identifier' || !declarator.init) continue;
    const value = context.origins.valueOrPromised(declarator.init);
    if (!value || value.home !== context || !CONNECTION_KINDS.has(value.kind) || value.kind === 'sentinel' || !isRedisClientLibrary(value.library)) continue;
    const creation = creationOf(value);
    if (!creation || !chainAfter(declarator.init, value.creation)) continue;
    const binding = context.scopes.declaredIn(context.program, declarator.id.name);
    if (!binding || binding.identifier !== declarator.id) continue;
    clients.push({
      binding,
      name: declarator.id.name,
      value,
      creation,
      declarator,
      statement,
      exported: isExportedBinding(context, binding),
      uses: usesOfClient(context, commands, binding, value, () => protocolOf(creation)),
    });
  }
  return clients;
}

/** What each reference to a client binding does. */
export function usesOfClient(context: FileContext, commands: CommandClassifier, binding: Binding, value: Value, protocol: () => 2 | 3 | undefined): ClientUses {
  const uses: ClientUses = { blocking: [], work: [], lifecycle: [], other: [] };
  for (const use of referenceUses(context, binding)) {
    if (use.kind !== 'method-call') {
      uses.other.push(use);
      continue;
    }
    const command = commands.classifyOn(value, use.method, use.call);
    if (!command) uses.other.push(use);
    else if (command.type === 'lifecycle') uses.lifecycle.push(use);
    else if (command.type === 'command') {
      if (!SUBSCRIBER_COMPANIONS.has(command.command)) uses.work.push({ command, loan: value.creation });
    } else if (command.type === 'blocking') {
      // node-redis 4 isolated calls run on a connection of their own.
      if (!command.isolated) uses.blocking.push({ command, receiver: use.identifier });
    } else if (takesOverConnection(command.command, protocol())) {
      uses.blocking.push({ command, receiver: use.identifier });
    }
  }
  return uses;
}

/** Whether the uses share the client, by the rule's decision. */
export function sharingOf(
  facts: { scope: 'module' | 'imported'; value: Value; exported: boolean; name?: string; importedName?: string; importedFrom?: string },
  uses: ClientUses,
): SharingDecision<{ loan: Node }> | undefined {
  return decideSharing(
    {
      role: 'client',
      scope: facts.scope,
      madeBy: madeByOf(facts.value),
      exported: facts.exported,
      name: facts.name,
      imported:
        facts.scope === 'imported'
          ? { source: facts.importedFrom ?? '', name: facts.importedName ?? '', duplicateInSource: madeByOf(facts.value) === 'duplicate' }
          : undefined,
      work: uses.work,
    },
    facts.value.creation,
  );
}

function madeByOf(value: Value): 'duplicate' | 'own' | 'unknown' {
  if (value.how === 'factory' || value.how === 'constructor') return 'own';
  if (value.how === 'method' && value.call && methodName(value.call) === 'duplicate') return 'duplicate';
  return 'unknown';
}

function methodName(call: Node): string | undefined {
  const callee = unwrap(call.callee);
  return isMember(callee) ? staticName(callee) : undefined;
}

export interface ChainSegment {
  method: string;
  /** `.on('error', h)` as written. */
  text: string;
}

/**
 * The calls chained onto the creation in `const c = await createClient().on(…).connect()`, or
 * undefined when the initializer is not the creation with a chain of method calls on it.
 */
export function chainAfter(init: Node, creation: Node, source?: string): { awaited: boolean; segments: ChainSegment[] } | undefined {
  const segments: ChainSegment[] = [];
  let current = unwrap(init);
  let awaited = false;
  if (current.type === 'AwaitExpression') {
    awaited = true;
    current = unwrap(current.argument);
  }
  while (current !== creation) {
    if (!isCall(current)) return undefined;
    const callee = unwrap(current.callee);
    const method = isMember(callee) ? staticName(callee) : undefined;
    if (method === undefined) return undefined;
    const args = source === undefined ? '' : current.arguments.map((arg: Node) => source.slice(arg.start, arg.end)).join(', ');
    segments.unshift({ method, text: `.${method}(${args})` });
    current = unwrap(callee.object);
  }
  return { awaited, segments };
}

/** The RESP version a client provably speaks (src/analysis/options.ts `protocolOf`). */
export function protocolOf(creation: Creation, evaluator: StaticEvaluator, versions: VersionResolver): 2 | 3 | undefined {
  const library: LibraryCatalog = creation.value.library;
  const protocol = library.protocol;
  if (!protocol) return undefined;
  const found = clientOptionsOf(creation, evaluator).get(protocol.optionPath);
  if (found.status === 'present') {
    const n = found.value.kind === 'primitive' ? Number(found.value.value) : NaN;
    return n === 2 || n === 3 ? n : undefined;
  }
  if (found.status === 'unknown') return undefined;
  const major = versions.major(library) ?? library.latestMajor;
  return protocol.defaultByMajor[major];
}
