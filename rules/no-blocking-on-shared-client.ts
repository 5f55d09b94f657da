import { AST_NODE_TYPES, ASTUtils, type TSESLint, type TSESTree } from '@typescript-eslint/utils';
import { TAKEOVER_COMMANDS, libraryForModule, type LibraryCatalog, type ValueKind } from '../src/catalog';
import {
  getRedisAnalysis,
  lineOf,
  requireSpecifier,
  skipWrappersUp,
  staticPropertyName,
  unwrapExpression,
  type RedisAnalysis,
} from '../src/analysis';
import {
  getSharing,
  isNameFree,
  type BlockingCommandCall,
  type Connection,
  type ModuleDeclaration,
  type SharingFinding,
  type SharingReason,
} from '../src/analysis/sharing';
import { mentionsBlockingMethod } from '../src/analysis/relevance';
import { createRule } from '../src/create-rule';

export type Options = [];
export type MessageIds =
  | 'blockingOnSharedClient'
  | 'blockingOnSharedPool'
  | 'takeoverOnSharedClient'
  | 'moveToDedicated'
  | 'useIsolated';

type Fix = TSESLint.RuleFix;
type SourceCode = Readonly<TSESLint.SourceCode>;

export default createRule<Options, MessageIds>({
  name: 'no-blocking-on-shared-client',
  meta: {
    type: 'problem',
    docs: {
      description: 'Run blocking and connection-takeover commands on a dedicated connection, not on a client or pool that serves other work',
      recommended: true,
    },
    hasSuggestions: true,
    messages: {
      blockingOnSharedClient:
        '{{command}} on `{{name}}` ({{sharing}}) stalls every other command on that connection{{duration}}; give blocking reads their own connection ({{remedy}})',
      blockingOnSharedPool:
        '{{command}} through pool `{{name}}` ({{sharing}}) holds one of its connections{{duration}} while other work waits for a free one; give blocking reads a pool or a connection of their own',
      takeoverOnSharedClient:
        '{{command}} on `{{name}}` ({{sharing}}) turns that connection into a {{mode}} that can run nothing else{{condition}}; give it its own connection ({{remedy}})',
      moveToDedicated: 'Run {{command}} on `{{dedicated}}`, a connection of its own made with `{{name}}.duplicate()`',
      useIsolated: 'Run {{command}} on an isolated connection with `commandOptions({ isolated: true })`',
    },
    schema: [],
  },
  defaultOptions: [],
  create(context) {
    const analysis = getRedisAnalysis(context);
    // No call can send a blocking or takeover command: nothing to analyse.
    if (!mentionsBlockingMethod(analysis)) return {};
    const { sourceCode } = context;

    return {
      'Program:exit'() {
        for (const finding of getSharing(analysis).findings()) report(finding);
      },
    };

    function report(finding: SharingFinding): void {
      const { connection, use, reason } = finding;
      const command = use.command;
      // `client.withCommandOptions({…}).blPop(…)` runs on `client`: name the client, not the proxy call.
      const receiverNode = unwrapExpression(use.receiver);
      const receiverText =
        receiverNode.type === AST_NODE_TYPES.CallExpression || receiverNode.type === AST_NODE_TYPES.AwaitExpression
          ? connection.name
          : sourceCode.getText(receiverNode);
      if (connection.role === 'pool') {
        context.report({
          node: command.call,
          messageId: 'blockingOnSharedPool',
          data: {
            command: command.command,
            name: connection.name,
            sharing: describeReason(reason, 'pool'),
            duration: command.type === 'blocking' ? formatDuration(command.timeout.ms) : '',
          },
        });
        return;
      }
      const isolatedAvailable = command.type === 'blocking' && isNodeRedis4(connection, analysis);
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      const dedicated = dedicatedFix(connection, command, use.receiver, analysis);
      if (dedicated) {
        suggest.push({
          messageId: 'moveToDedicated',
          data: { command: command.command, dedicated: dedicated.name, name: receiverText },
          fix: dedicated.fix,
        });
      }
      const isolated = isolatedAvailable ? isolatedFix(command, connection, analysis) : undefined;
      if (isolated) suggest.push({ messageId: 'useIsolated', data: { command: command.command }, fix: isolated });

      const remedy = remedyFor(connection, receiverText, isolatedAvailable);
      if (command.type === 'takeover') {
        const pubsub = TAKEOVER_COMMANDS[command.command]?.onlyUnderResp2 === true;
        context.report({
          node: command.call,
          messageId: 'takeoverOnSharedClient',
          data: {
            command: command.command,
            name: receiverText,
            sharing: describeReason(reason, 'client'),
            mode: pubsub ? 'subscriber' : 'monitor feed',
            condition: pubsub ? ' under RESP2' : '',
            remedy,
          },
          suggest,
        });
        return;
      }
      context.report({
        node: command.call,
        messageId: 'blockingOnSharedClient',
        data: {
          command: command.command,
          name: receiverText,
          sharing: describeReason(reason, 'client'),
          duration: formatDuration(command.timeout.ms),
          remedy,
        },
        suggest,
      });
    }
  },
});

function describeReason(reason: SharingReason, role: 'client' | 'pool'): string {
  switch (reason.type) {
    case 'non-blocking-use': {
      const { command, call } = reason.witness.command;
      return role === 'pool'
        ? `which also serves ${command} at line ${lineOf(call)}`
        : `also used for ${command} at line ${lineOf(call)}`;
    }
    case 'exported':
      return 'exported, so other modules share it';
    case 'imported':
      return `imported from '${reason.source}', an app-wide client`;
  }
}

/** " for up to 5 s", " forever" (a timeout of 0), or nothing when the timeout is not static. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  if (ms === 0) return ' forever';
  if (ms < 1000) return ` for up to ${Number(ms.toFixed(3))} ms`;
  return ` for up to ${Number((ms / 1000).toFixed(3))} s`;
}

function isNodeRedis4(connection: Connection, analysis: RedisAnalysis): boolean {
  return connection.library?.id === 'node-redis' && analysis.versions.major(connection.library) === 4;
}

function canDuplicate(library: LibraryCatalog, kind: ValueKind | undefined): boolean {
  return library.values[kind ?? 'client']?.methods.duplicate?.type === 'produces';
}

function remedyFor(connection: Connection, name: string, isolated: boolean): string {
  const duplicate = connection.libraries.length > 0 && connection.libraries.every((library) => canDuplicate(library, connection.kind));
  if (isolated) return `\`commandOptions({ isolated: true })\` or \`${name}.duplicate()\``;
  return duplicate ? `\`${name}.duplicate()\`` : 'a separate client';
}

/**
 * For a module-level client: `const <name>Blocking = <name>.duplicate()` after its declaration,
 * the client's connect, 'error' listeners and closing mirrored onto it, and the flagged call moved
 * onto it. When that declaration is already there (another suggestion was applied), only the call
 * moves.
 */
function dedicatedFix(
  connection: Connection,
  command: BlockingCommandCall,
  receiver: TSESTree.Expression,
  analysis: RedisAnalysis,
): { name: string; fix: (fixer: TSESLint.RuleFixer) => Fix[] } | undefined {
  const { sourceCode } = analysis;
  const declaration = connection.declaration;
  const library = connection.library;
  const target = unwrapExpression(receiver);
  if (connection.scope !== 'module' || !declaration || !library || !canDuplicate(library, connection.kind)) return undefined;
  if (target.type !== AST_NODE_TYPES.Identifier) return undefined;
  if (ASTUtils.findVariable(sourceCode.getScope(target), target.name) !== declaration.variable) return undefined;

  const base = `${target.name}${suffixFor(command)}`;
  const mirrors = lifecycleStatements(declaration, library, connection.kind ?? 'client', analysis);
  for (const suffix of ['', '2', '3', '4', '5']) {
    const name = `${base}${suffix}`;
    const existing = ASTUtils.findVariable(sourceCode.getScope(target), name);
    if (existing) {
      if (isDuplicateOf(existing, declaration, sourceCode)) {
        return { name, fix: (fixer) => [fixer.replaceText(target, name)] };
      }
      continue;
    }
    const sites = [target, declaration.statement, ...mirrors.map((mirror) => mirror.statement)];
    if (!sites.every((site) => isNameFree(sourceCode, name, site))) continue;
    const chain = chainAfterCreation(declaration.declarator.init, connection.value!.creation, sourceCode);
    // node-redis clients start disconnected: without a connect to copy the duplicate would never open.
    const connects = chain.segments.some((segment) => segment.method === 'connect') || mirrors.some((mirror) => mirror.method === 'connect');
    if (library.id === 'node-redis' && !connects) return undefined;
    return {
      name,
      fix: (fixer) => {
        const indent = indentOf(declaration.statement, sourceCode);
        const initializer = `${chain.awaited ? 'await ' : ''}${target.name}.duplicate()${chain.segments.map((segment) => segment.text).join('')}`;
        const fixes = [fixer.insertTextAfter(declaration.statement, `\n${indent}const ${name} = ${initializer};`)];
        for (const mirror of mirrors) {
          const text = sourceCode.getText(mirror.statement);
          const offset = mirror.root.range[0] - mirror.statement.range[0];
          const copy = `${text.slice(0, offset)}${name}${text.slice(offset + mirror.root.name.length)}`;
          fixes.push(fixer.insertTextAfter(mirror.statement, `\n${indentOf(mirror.statement, sourceCode)}${copy}`));
        }
        fixes.push(fixer.replaceText(target, name));
        return fixes;
      },
    };
  }
  return undefined;
}

function suffixFor(command: BlockingCommandCall): string {
  if (command.type === 'blocking') return 'Blocking';
  return command.command === 'MONITOR' ? 'Monitor' : 'Subscriber';
}

/** A module-level `const x = <client>.duplicate()…` made from this declaration's client. */
function isDuplicateOf(
  variable: TSESLint.Scope.Variable,
  declaration: ModuleDeclaration,
  sourceCode: SourceCode,
): boolean {
  const def = variable.defs[0];
  if (variable.defs.length !== 1 || def?.type !== 'Variable') return false;
  const declarator = def.node as TSESTree.VariableDeclarator;
  if (!declarator.init) return false;
  let current = unwrapExpression(declarator.init);
  // Walk down `await x.duplicate().on(…).connect()` to the duplicate() call.
  for (;;) {
    if (current.type === AST_NODE_TYPES.AwaitExpression) {
      current = unwrapExpression(current.argument);
      continue;
    }
    if (current.type !== AST_NODE_TYPES.CallExpression) return false;
    const callee = unwrapExpression(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) return false;
    const object = unwrapExpression(callee.object);
    if (staticPropertyName(callee) === 'duplicate' && object.type === AST_NODE_TYPES.Identifier) {
      return ASTUtils.findVariable(sourceCode.getScope(object), object.name) === declaration.variable;
    }
    current = object;
  }
}

interface ChainSegment {
  method: string;
  text: string;
}

/** The method calls chained onto the creation in `const c = await createClient().on(…).connect()`. */
function chainAfterCreation(init: TSESTree.Expression, creation: TSESTree.Node, sourceCode: SourceCode): { awaited: boolean; segments: ChainSegment[] } {
  const segments: ChainSegment[] = [];
  let current = unwrapExpression(init);
  let awaited = false;
  if (current.type === AST_NODE_TYPES.AwaitExpression) {
    awaited = true;
    current = unwrapExpression(current.argument);
  }
  while (current !== creation && current.type === AST_NODE_TYPES.CallExpression) {
    const callee = unwrapExpression(current.callee);
    if (callee.type !== AST_NODE_TYPES.MemberExpression) break;
    const method = staticPropertyName(callee);
    if (method === undefined) break;
    const args = current.arguments.map((arg) => sourceCode.getText(arg)).join(', ');
    segments.unshift({ method, text: `.${method}(${args})` });
    current = unwrapExpression(callee.object);
  }
  return { awaited, segments };
}

interface LifecycleStatement {
  statement: TSESTree.ExpressionStatement;
  root: TSESTree.Identifier;
  method: string;
}

/**
 * Statements that set the client up or close it, to repeat for its duplicate: `await c.connect()`,
 * `c.on('error', h)`, `await c.quit()`, and chains that start with them.
 */
function lifecycleStatements(
  declaration: ModuleDeclaration,
  library: LibraryCatalog,
  kind: ValueKind,
  analysis: RedisAnalysis,
): LifecycleStatement[] {
  const methods = library.values[kind]?.methods ?? {};
  const statements: LifecycleStatement[] = [];
  for (const reference of declaration.variable.references) {
    if (reference.init) continue;
    const root = reference.identifier as TSESTree.Identifier;
    const { node: object, parent: member } = skipWrappersUp(root);
    if (member?.type !== AST_NODE_TYPES.MemberExpression || member.object !== object) continue;
    const method = staticPropertyName(member);
    const spec = method === undefined ? undefined : methods[method];
    const { node: callee, parent: call } = skipWrappersUp(member);
    if (!spec || call?.type !== AST_NODE_TYPES.CallExpression || call.callee !== callee) continue;
    const wanted =
      spec.type === 'release' ||
      (spec.type === 'self' && method === 'connect') ||
      (spec.type === 'listener' && call.arguments[0] !== undefined && isErrorEvent(call.arguments[0], analysis));
    if (!wanted) continue;
    const statement = enclosingStatement(call);
    if (statement) statements.push({ statement, root, method: method! });
  }
  return statements;
}

function isErrorEvent(node: TSESTree.Node, analysis: RedisAnalysis): boolean {
  const value = analysis.evaluator.evaluate(node);
  return value.kind === 'primitive' && value.value === 'error';
}

/** The expression statement a call chain, `await` or `void` of it makes up, if it is a whole statement. */
function enclosingStatement(call: TSESTree.CallExpression): TSESTree.ExpressionStatement | undefined {
  let current: TSESTree.Node = call;
  for (;;) {
    const { node, parent } = skipWrappersUp(current);
    if (!parent) return undefined;
    if (parent.type === AST_NODE_TYPES.ExpressionStatement) return parent;
    if (
      parent.type === AST_NODE_TYPES.AwaitExpression ||
      (parent.type === AST_NODE_TYPES.UnaryExpression && parent.operator === 'void')
    ) {
      current = parent;
      continue;
    }
    if (parent.type === AST_NODE_TYPES.MemberExpression && parent.object === node) {
      const { node: callee, parent: chained } = skipWrappersUp(parent);
      if (chained?.type !== AST_NODE_TYPES.CallExpression || chained.callee !== callee) return undefined;
      current = chained;
      continue;
    }
    return undefined;
  }
}

function indentOf(node: TSESTree.Node, sourceCode: SourceCode): string {
  const line = sourceCode.lines[node.loc.start.line - 1] ?? '';
  return /^\s*/.exec(line)?.[0] ?? '';
}

/**
 * node-redis 4: pass `commandOptions({ isolated: true })` first, importing `commandOptions` from
 * the file's node-redis import when it is not in scope yet.
 */
function isolatedFix(
  command: BlockingCommandCall,
  connection: Connection,
  analysis: RedisAnalysis,
): ((fixer: TSESLint.RuleFixer) => Fix[]) | undefined {
  const { sourceCode } = analysis;
  const call = command.call;
  const first = call.arguments[0];
  if (!first || !connection.library?.blockingMethods?.[command.method]) return undefined;
  // Already given command options (without `isolated`): leave the call to the user.
  const firstInner = unwrapExpression(first);
  if (firstInner.type === AST_NODE_TYPES.CallExpression) {
    const target = analysis.origins.resolve(firstInner.callee);
    if (target?.type === 'export' && target.spec.type === 'helper') return undefined;
  }
  const access = commandOptionsAccess(sourceCode, call);
  if (!access) return undefined;
  return (fixer) => {
    const fixes = [fixer.insertTextBefore(first, `${access.expression}({ isolated: true }), `)];
    if (access.add) fixes.push(access.add(fixer));
    return fixes;
  };
}

interface CommandOptionsAccess {
  expression: string;
  add?: (fixer: TSESLint.RuleFixer) => Fix;
}

/** How to reach node-redis's `commandOptions` at `at`: an existing binding, or an import to extend or add. */
function commandOptionsAccess(sourceCode: SourceCode, at: TSESTree.Node): CommandOptionsAccess | undefined {
  const program = sourceCode.ast;
  const isFree = (name: string) => isNameFree(sourceCode, name, at);
  let extend: CommandOptionsAccess | undefined;
  let moduleName: string | undefined;
  for (const statement of program.body) {
    if (statement.type === AST_NODE_TYPES.ImportDeclaration) {
      if (statement.importKind === 'type' || libraryForModule(statement.source.value)?.id !== 'node-redis') continue;
      moduleName ??= statement.source.value;
      for (const specifier of statement.specifiers) {
        if (specifier.type === AST_NODE_TYPES.ImportSpecifier) {
          const imported = specifier.imported.type === AST_NODE_TYPES.Identifier ? specifier.imported.name : specifier.imported.value;
          if (imported === 'commandOptions' && specifier.importKind !== 'type') return { expression: specifier.local.name };
        } else {
          return { expression: `${specifier.local.name}.commandOptions` };
        }
      }
      const last = statement.specifiers.at(-1);
      if (last?.type === AST_NODE_TYPES.ImportSpecifier && !extend && isFree('commandOptions')) {
        extend = { expression: 'commandOptions', add: (fixer) => fixer.insertTextAfter(last, ', commandOptions') };
      }
    } else if (statement.type === AST_NODE_TYPES.VariableDeclaration) {
      for (const declarator of statement.declarations) {
        const specifier = declarator.init && requireSpecifier(unwrapExpression(declarator.init));
        if (!specifier || libraryForModule(specifier)?.id !== 'node-redis') continue;
        if (declarator.id.type === AST_NODE_TYPES.Identifier) return { expression: `${declarator.id.name}.commandOptions` };
        if (declarator.id.type !== AST_NODE_TYPES.ObjectPattern) continue;
        for (const property of declarator.id.properties) {
          if (
            property.type === AST_NODE_TYPES.Property &&
            staticPropertyName(property) === 'commandOptions' &&
            property.value.type === AST_NODE_TYPES.Identifier
          ) {
            return { expression: property.value.name };
          }
        }
        const last = declarator.id.properties.at(-1);
        if (last?.type === AST_NODE_TYPES.Property && !extend && isFree('commandOptions')) {
          extend = { expression: 'commandOptions', add: (fixer) => fixer.insertTextAfter(last, ', commandOptions') };
        }
      }
    }
  }
  if (extend) return extend;
  const imports = program.body.filter((statement) => statement.type === AST_NODE_TYPES.ImportDeclaration);
  const lastImport = imports.at(-1);
  if (!lastImport || !isFree('commandOptions')) return undefined;
  return {
    expression: 'commandOptions',
    add: (fixer) => fixer.insertTextAfter(lastImport, `\nimport { commandOptions } from '${moduleName ?? 'redis'}';`),
  };
}
