import type { TSESLint } from '@typescript-eslint/utils';
import { AST_NODE_TYPES } from '../src/analysis/ast';
import { TAKEOVER_COMMANDS, type LibraryCatalog, type ValueKind } from '../src/catalog';
import { duration, getRedisAnalysis, lineOf, unwrapExpression } from '../src/analysis';
import { DEDICATED_CONNECTION, planDedicatedConnection, planImportedDedicated } from '../src/analysis/fix/dedicated-connection';
import { planIsolatedCall, runsIsolatedCalls } from '../src/analysis/fix/isolated-call';
import { collectingPlans, fixOf, recordPlan } from '../src/analysis/plans';
import { getSharing, type Connection, type SharingFinding, type SharingReason } from '../src/analysis/sharing';
import { mentionsBlockingMethod } from '../src/analysis/relevance';
import { createRule } from '../src/create-rule';

export type Options = [];
export type MessageIds =
  | 'blockingOnSharedClient'
  | 'blockingOnSharedPool'
  | 'takeoverOnSharedClient'
  | 'moveToDedicated'
  | 'useIsolated';

const rule = createRule<Options, MessageIds>({
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
      const isolatedAvailable = command.type === 'blocking' && runsIsolatedCalls(connection.library, analysis);
      const suggest: TSESLint.SuggestionReportDescriptor<MessageIds>[] = [];
      // A client imported from another module is planned with that module read from disk: only
      // for a codemod, which rewrites both (a suggestion can't change the other file).
      const imported = connection.scope === 'imported' && collectingPlans();
      const plan = imported ? planImportedDedicated(finding, analysis, context.filename, rule) : planDedicatedConnection(finding, analysis);
      const planSite = { rule: 'no-blocking-on-shared-client', kind: DEDICATED_CONNECTION, ...command.call.loc.start };
      if (plan?.type === 'rewrite') {
        if (!imported) {
          suggest.push({
            messageId: 'moveToDedicated',
            data: { command: command.command, dedicated: plan.name, name: receiverText },
            fix: fixOf(plan.edits, sourceCode.text),
          });
        }
        recordPlan({
          type: 'rewrite',
          ...planSite,
          description: imported
            ? `${command.command} now runs on \`${plan.name}\`, the dedicated duplicate '${connection.imported!.source}' exports${plan.note ?? ''}`
            : `${command.command} now runs on \`${plan.name}\`, a dedicated duplicate of \`${receiverText}\``,
          edits: plan.edits,
          elsewhere: plan.elsewhere,
        });
      } else if (plan) {
        recordPlan({ type: 'skip', ...planSite, reason: plan.reason });
      }
      const isolated = isolatedAvailable && connection.library ? planIsolatedCall(command, connection.library, analysis) : undefined;
      if (isolated) suggest.push({ messageId: 'useIsolated', data: { command: command.command }, fix: fixOf(isolated, sourceCode.text) });

      const pubsub = command.type === 'takeover' && TAKEOVER_COMMANDS[command.command]?.onlyUnderResp2 === true;
      context.report({
        node: command.call,
        messageId: command.type === 'takeover' ? 'takeoverOnSharedClient' : 'blockingOnSharedClient',
        data: {
          command: command.command,
          name: receiverText,
          sharing: describeReason(reason, 'client'),
          remedy: remedyFor(connection, receiverText, isolatedAvailable),
          ...(command.type === 'takeover'
            ? { mode: pubsub ? 'subscriber' : 'monitor feed', condition: pubsub ? ' under RESP2' : '' }
            : { duration: formatDuration(command.timeout.ms) }),
        },
        suggest,
      });
    }
  },
});

export default rule;

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
function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '';
  return ms === 0 ? ' forever' : ` for up to ${duration(ms)}`;
}

function canDuplicate(library: LibraryCatalog, kind: ValueKind | undefined): boolean {
  return library.values[kind ?? 'client']?.methods.duplicate?.type === 'produces';
}

function remedyFor(connection: Connection, name: string, isolated: boolean): string {
  const duplicate = connection.libraries.length > 0 && connection.libraries.every((library) => canDuplicate(library, connection.kind));
  if (isolated) return `\`commandOptions({ isolated: true })\` or \`${name}.duplicate()\``;
  return duplicate ? `\`${name}.duplicate()\`` : 'a separate client';
}
