/** `redis-lint report [path]`: the connection inventory and budget of src/project (options and exit codes: REPORT_USAGE). */
import * as path from 'node:path';
import {
  buildReport,
  DEFAULT_BUDGET,
  formatReport,
  loadProject,
  ProjectLoadError,
  REPORT_FORMATS,
  takeInventory,
  type FindingRule,
  type ReportFormat,
} from '../project';
import { LIBRARIES } from '../catalog';
import { collectFiles } from './files';
import { Progress } from './progress';
import { type CommandIO, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, parseCommandArgs, UsageError, wholeNumber, writeOutput } from './usage-error';

export const REPORT_USAGE = `Usage: redis-lint report [path] [options]

Inventories every Redis client, cluster, duplicate, sentinel and pool the project creates,
with its timeouts, pool size, the blocking commands issued on it anywhere in the project and
whether it also serves other work, and the connection budget against Redis maxclients.
path is a project directory (default ".") or its tsconfig.json; without a tsconfig.json or
jsconfig.json the JavaScript and TypeScript files under it are read with allowJs.

Options:
  -f, --format <table|json|markdown>  output format (default: table)
  -o, --output <file>                 write the report to a file instead of stdout
  -p, --tsconfig <file>               the tsconfig.json to load (default: <path>/tsconfig.json)
      --replicas <n>                  processes running this code (default: 1)
      --maxclients <n>                the Redis server's maxclients (default: 10000)
      --fail-on <findings>            exit 1 on these findings: budget, shared-blocking
                                      (comma-separated or repeated; default: none)
      --versions <lib=major,...>      library majors to assume instead of detecting them
                                      from node_modules, e.g. redis=4,ioredis=5
      --include-tests                 also analyse test files (*.test.*, *.spec.*, __tests__/,
                                      __mocks__/), which are left out by default
      --allow-partial                 exit as usual when some files could not be parsed
                                      (they are listed in the report either way)
  -h, --help                          show this help

Exit codes: 0 report written (no --fail-on finding present), 1 a --fail-on finding is present,
or some files could not be parsed and --fail-on is given, 2 usage error, bad path, missing or
broken tsconfig, or some files could not be parsed (without --fail-on). --allow-partial
accepts unparsable files.`;

const FAIL_ON: readonly FindingRule[] = ['budget', 'shared-blocking'];

export async function run(args: string[], io: CommandIO): Promise<number> {
  const options = parseReportArgs(args, io.cwd);
  if (options.help) {
    io.stdout.write(`${REPORT_USAGE}\n`);
    return EXIT_OK;
  }
  let loaded;
  try {
    loaded = loadProject(options.path, {
      cwd: io.cwd,
      tsconfig: options.tsconfig,
      includeTests: options.includeTests,
      listFiles: (directory) => collectFiles([directory], io.cwd),
    });
  } catch (error) {
    if (error instanceof ProjectLoadError) throw new UsageError(error.message);
    throw error;
  }
  const progress = new Progress(io.stderr, io.interactive, loaded.files.length, Date.now, 'analysing');
  progress.update(undefined);
  const inventory = takeInventory(loaded.files, { versions: options.versions });
  progress.finish();
  const report = buildReport(inventory, loaded, { replicas: options.replicas, maxClients: options.maxClients });
  const text = formatReport(report, options.format);
  if (options.output) writeOutput(options.output, text, 'the report to');
  else io.stdout.write(text);
  if (report.unparsed.length > 0 && !options.allowPartial) {
    const [first] = report.unparsed;
    const more = report.unparsed.length > 1 ? ` and ${report.unparsed.length - 1} more` : '';
    io.stderr.write(
      `redis-lint: the report is partial: ${report.unparsed.length} ${report.unparsed.length === 1 ? 'file' : 'files'} could not be parsed ` +
        `(${first!.file}:${first!.line}${more}); fix them or pass --allow-partial\n`,
    );
    return options.failOn.size > 0 ? EXIT_FINDINGS : EXIT_USAGE;
  }
  return report.findings.some((finding) => options.failOn.has(finding.rule)) ? EXIT_FINDINGS : EXIT_OK;
}

export function parseReportArgs(args: string[], cwd: string) {
  const { values, positionals } = parseCommandArgs(args, REPORT_OPTIONS, 'report');
  if (positionals.length > 1) {
    throw new UsageError(`report takes one project path, got ${positionals.length}: ${positionals.join(' ')}`);
  }
  const format = values.format ?? 'table';
  if (!(REPORT_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`Unknown format "${format}" for --format: use table, json or markdown`);
  }
  return {
    help: values.help ?? false,
    path: positionals[0] ?? '.',
    format: format as ReportFormat,
    output: values.output === undefined ? undefined : path.resolve(cwd, values.output),
    tsconfig: values.tsconfig,
    replicas: values.replicas === undefined ? DEFAULT_BUDGET.replicas : wholeNumber(values.replicas, '--replicas', 1),
    maxClients:
      values.maxclients === undefined ? DEFAULT_BUDGET.maxClients : wholeNumber(values.maxclients, '--maxclients', 1),
    failOn: parseFailOn(values['fail-on'] ?? []),
    versions: values.versions === undefined ? undefined : parseVersions(values.versions),
    includeTests: values['include-tests'] ?? false,
    allowPartial: values['allow-partial'] ?? false,
  };
}

const REPORT_OPTIONS = {
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  tsconfig: { type: 'string', short: 'p' },
  replicas: { type: 'string' },
  maxclients: { type: 'string' },
  'fail-on': { type: 'string', multiple: true },
  versions: { type: 'string', multiple: true },
  'include-tests': { type: 'boolean' },
  'allow-partial': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function parseFailOn(specs: readonly string[]): Set<FindingRule> {
  const failOn = new Set<FindingRule>();
  for (const name of specs.flatMap((spec) => spec.split(',')).map((part) => part.trim())) {
    if (!(FAIL_ON as readonly string[]).includes(name)) {
      throw new UsageError(`Unknown finding "${name}" for --fail-on: use ${FAIL_ON.join(', ')}`);
    }
    failOn.add(name as FindingRule);
  }
  return failOn;
}

function parseVersions(specs: readonly string[]): Record<string, number> {
  const versions: Record<string, number> = {};
  for (const spec of specs.flatMap((part) => part.split(',')).map((part) => part.trim())) {
    const match = /^(@?[\w./-]+)=(\d+)$/.exec(spec);
    if (!match) throw new UsageError(`--versions needs <library>=<major> pairs such as redis=4, not "${spec}"`);
    const name = match[1]!;
    const known = LIBRARIES.flatMap((library) => [library.id, ...library.packages]);
    if (!known.includes(name)) throw new UsageError(`Unknown library "${name}" in --versions (known: ${known.join(', ')})`);
    versions[name] = Number(match[2]);
  }
  return versions;
}
