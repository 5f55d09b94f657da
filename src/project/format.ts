/**
 * The report's three renderings: a table for the terminal, JSON (the documented schema) and
 * Markdown for a pull-request comment. All three render the same ReportJson.
 */
import { libraryById } from '../catalog';
import type { ReportTimeout as ResolvedTimeout } from './inventory';
import type { ReportBudget, ReportConnection, ReportJson } from './report';

export type ReportFormat = 'table' | 'json' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['table', 'json', 'markdown'];

/** The first line of a Markdown report, so CI can find and update its own comment. */
export const MARKDOWN_MARKER = '<!-- redis-lint-report -->';

export function formatReport(report: ReportJson, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(report, null, 2)}\n`;
    case 'markdown':
      return formatMarkdown(report);
    case 'table':
      return formatTable(report);
  }
}

export function formatTable(report: ReportJson): string {
  const lines: string[] = [];
  const source = report.config ?? 'source files';
  lines.push(`Redis connections in ${report.root} (${plural(report.files, 'file')}, from ${source})`, '');
  if (report.connections.length === 0) lines.push('No Redis connections found.');
  else {
    const rows = report.connections.map((connection) => [
      locationOf(connection),
      connection.name ?? '',
      libraryLabel(connection),
      kindLabel(connection),
      sizeLabel(connection),
      timeoutsLabel(connection.timeouts),
      connection.blockingUses.length > 0 ? blockingSummary(connection) : '',
      connection.shared ? 'yes' : '',
    ]);
    lines.push(...columns([['LOCATION', 'NAME', 'LIBRARY', 'KIND', 'CONNS', 'TIMEOUTS', 'BLOCKING', 'SHARED'], ...rows]));
  }

  const section = (title: string, rows: string[]) => rows.length > 0 && lines.push('', title, ...rows);
  section(
    'Blocking commands',
    report.connections
      .filter((connection) => connection.blockingUses.length > 0)
      .flatMap((connection) => [
        `  ${connection.name ?? connection.kind} (${connection.id})${connection.shared ? ', shared' : ''}`,
        ...connection.blockingUses.map((use) => `    ${use.command.padEnd(10)} ${use.file}:${use.line}:${use.column}  ${blockingTimeoutLabel(use)}`),
        ...(connection.commandUses.length > 0 ? [`    also ${commandSummary(connection)}`] : []),
      ]),
  );
  section(
    'Blocking commands on connections whose origin could not be traced',
    report.unattributedBlockingUses.map(
      (use) => `    ${use.command.padEnd(10)} ${use.file}:${use.line}:${use.column}  ${libraryById(use.library).displayName}, ${blockingTimeoutLabel(use)}`,
    ),
  );
  section('Findings', report.findings.map((finding) => `  ✖ ${finding.rule}: ${finding.message}`));
  lines.push('', 'Budget', ...budgetLines(report.budget).map((line) => `  ${line}`));
  section(
    `Not analysed: ${plural(report.unparsed.length, 'file')} could not be parsed, so this report is partial`,
    report.unparsed.map((file) => `  ${file.file}:${file.line}:${file.column}  ${file.message}`),
  );
  return `${lines.join('\n')}\n`;
}

export function formatMarkdown(report: ReportJson): string {
  const { budget } = report;
  const lines: string[] = [MARKDOWN_MARKER, '## Redis connection report', ''];
  const status = budget.exceeded ? '❌' : '✅';
  lines.push(
    `**Budget** ${status} ${budget.perProcess}${budget.complete ? '' : '+'} ${budget.perProcess === 1 ? 'connection' : 'connections'} per process × ` +
      `${budget.replicas} ${budget.replicas === 1 ? 'replica' : 'replicas'} = **${budget.total}${budget.complete ? '' : '+'}** ` +
      `of \`maxclients\` ${budget.maxClients} (headroom ${budget.headroom}).`,
  );
  const shared = report.findings.filter((finding) => finding.rule === 'shared-blocking').length;
  lines.push(
    shared > 0
      ? `**Shared connections** ⚠️ ${plural(shared, 'connection')} ${shared === 1 ? 'runs' : 'run'} blocking commands and other work.`
      : '**Shared connections** ✅ none run blocking commands and other work.',
    '',
  );
  if (report.connections.length === 0) lines.push('No Redis connections found.');
  else {
    lines.push('| Connection | Library | Kind | Conns | Timeouts | Blocking commands | Shared |', '|---|---|---|--:|---|---|---|');
    for (const connection of report.connections) {
      const name = connection.name ? `\`${connection.name}\` ` : '';
      const blockingUses = connection.blockingUses
        .map((use) => `${use.command} \`${use.file}:${use.line}\` (${blockingTimeoutLabel(use)})`)
        .join('<br>');
      lines.push(
        `| ${cell(name)}\`${locationOf(connection)}\` | ${cell(libraryLabel(connection))} | ${cell(kindLabel(connection))} | ` +
          `${cell(sizeLabel(connection))} | ${cell(timeoutsLabel(connection.timeouts))} | ${cell(blockingUses)} | ${connection.shared ? '⚠️ yes' : 'no'} |`,
      );
    }
  }
  const section = (title: string, rows: string[]) => rows.length > 0 && lines.push('', title, '', ...rows);
  section('### Findings', report.findings.map((finding) => `- ${finding.rule === 'budget' ? '❌' : '⚠️'} **${finding.rule}**: ${finding.message}`));
  if (report.unattributedBlockingUses.length > 0) {
    lines.push('', '<details><summary>Blocking commands on connections whose origin could not be traced</summary>', '');
    for (const use of report.unattributedBlockingUses) {
      lines.push(`- ${use.command} \`${use.file}:${use.line}\` (${libraryById(use.library).displayName}, ${blockingTimeoutLabel(use)})`);
    }
    lines.push('', '</details>');
  }
  section(
    `**Not analysed** ⚠️ ${plural(report.unparsed.length, 'file')} could not be parsed, so this report is partial:`,
    report.unparsed.map((file) => `- \`${file.file}:${file.line}\` ${file.message}`),
  );
  lines.push(
    '',
    '<details><summary>How the budget is counted</summary>',
    '',
    'Connections one process can hold open to one Redis server: a client or duplicate counts 1, a cluster 1 (one per node, ' +
      'and each node has its own `maxclients`), a sentinel its master pool, a pool its maximum; a pool’s own clients count inside it.',
    '',
    ...budgetLines(budget).map((line) => `    ${line}`),
    '',
    '</details>',
  );
  return `${lines.join('\n')}\n`;
}

function budgetLines(budget: ReportBudget): string[] {
  const parts = (Object.entries(budget.byKind) as [string, number][])
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => (kind === 'pool' ? `${n} in pools` : kind === 'queue' ? `${n} in queue objects` : plural(n, kind)));
  const lines = [
    `per process  ${budget.perProcess}${parts.length > 0 ? `  (${parts.join(', ')})` : ''}`,
    `× replicas   ${budget.replicas}`,
    `= total      ${budget.total} of maxclients ${budget.maxClients}, headroom ${budget.headroom}${budget.exceeded ? '  EXCEEDED' : ''}`,
  ];
  if (budget.unknown.length > 0) lines.push(`not counted (size not static): ${budget.unknown.join(', ')}`);
  if (budget.unbounded.length > 0) lines.push(`unbounded: ${budget.unbounded.join(', ')}`);
  return lines;
}

function locationOf(connection: ReportConnection): string {
  const via = connection.via.map((site) => ` via ${site.file}:${site.line}`).join('');
  return `${connection.file}:${connection.line}${via}`;
}

function libraryLabel(connection: ReportConnection): string {
  const name = libraryById(connection.library).displayName;
  return connection.major === null ? name : `${name} ${connection.major}`;
}

function kindLabel(connection: ReportConnection): string {
  if (connection.memberOf) return `${connection.kind} in pool`;
  return connection.scope === 'function' ? `${connection.kind} (per call)` : connection.kind;
}

function sizeLabel(connection: ReportConnection): string {
  if (connection.unbounded) return 'unbounded';
  if (connection.perProcess === null) return '?';
  if (connection.kind === 'cluster') return `${connection.perProcess}/node`;
  return String(connection.perProcess);
}

const BOUND_NAMES: Record<ResolvedTimeout['bounds'], string> = {
  connect: 'connect',
  command: 'command',
  'socket-idle': 'idle',
  acquire: 'acquire',
  'blocking-command': 'blocking',
};

function timeoutsLabel(timeouts: Record<string, ResolvedTimeout>): string {
  return Object.values(timeouts)
    .map((timeout) => `${BOUND_NAMES[timeout.bounds]} ${timeoutValue(timeout)}`)
    .join(', ');
}

function timeoutValue(timeout: ResolvedTimeout): string {
  if (timeout.state === 'unknown') return '?';
  if (timeout.state === 'unbounded') return 'none';
  return duration(timeout.ms!);
}

function blockingTimeoutLabel(use: { timeoutMs: number | null; takeover: boolean }): string {
  if (use.takeover) return 'takes the connection over';
  if (use.timeoutMs === null) return 'timeout ?';
  return use.timeoutMs === 0 ? 'blocks forever' : `up to ${duration(use.timeoutMs)}`;
}

function blockingSummary(connection: ReportConnection): string {
  const counts = new Map<string, number>();
  for (const use of connection.blockingUses) counts.set(use.command, (counts.get(use.command) ?? 0) + 1);
  return [...counts].map(([command, n]) => (n > 1 ? `${command} ×${n}` : command)).join(', ');
}

function commandSummary(connection: ReportConnection): string {
  const files = new Set(connection.commandUses.map((use) => use.file));
  const first = connection.commandUses[0]!;
  return `serves ${plural(connection.commandUses.length, 'other command')} in ${plural(files.size, 'file')}, first ${first.command} at ${first.file}:${first.line}`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  return `${Number((ms / 1000).toFixed(3))}s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function columns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((value, i) => (i === row.length - 1 ? value : value.padEnd(widths[i]!))).join('  ').trimEnd());
}

/** A Markdown table cell: pipes escaped, no line breaks. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
