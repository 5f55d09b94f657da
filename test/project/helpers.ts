/**
 * In-memory projects for the report's tests: files by path, written under a temporary directory
 * and read by the same analysis the rules use. Library modules are recognised by import specifier (no node_modules beside
 * them, so majors come from `versions` or default to the newest); the on-disk fixtures cover
 * detection.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { takeInventory, type Inventory, type InventoryOptions } from '../../src/project/inventory';
import { buildReport, DEFAULT_BUDGET, type BudgetOptions, type ReportConnection, type ReportJson } from '../../src/project/report';

/**
 * Takes the inventory of an in-memory project, written under a fresh temporary directory (the
 * module view resolves specifiers against files on disk, as it does for the rules). Paths in the
 * test are absolute from that directory: `/src/a.ts` is `<root>/src/a.ts`.
 */
export function inventoryOf(files: Record<string, string>, options: InventoryOptions = {}): Inventory {
  return withProjectOnDisk(files, (root) => takeInventoryAt(root, files, options));
}

export function reportOf(
  files: Record<string, string>,
  budget: Partial<BudgetOptions> = {},
  options: InventoryOptions = {},
): ReportJson {
  return withProjectOnDisk(files, (root) => {
    const report = buildReport(takeInventoryAt(root, files, options), { root, config: undefined }, { ...DEFAULT_BUDGET, ...budget });
    // Paths in the report are relative to root already; the heading shows the project as the test names it.
    return { ...report, root: '/' };
  });
}

function takeInventoryAt(root: string, files: Record<string, string>, options: InventoryOptions): Inventory {
  return takeInventory(
    Object.keys(files)
      .filter((file) => !file.endsWith('.json'))
      .map((file) => path.join(root, file)),
    { ...options, readFile: (file) => fs.readFileSync(file, 'utf8') },
  );
}

function withProjectOnDisk<T>(files: Record<string, string>, use: (root: string) => T): T {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'redis-report-'));
  try {
    for (const [file, text] of Object.entries(files)) {
      const absolute = path.join(root, file);
      fs.mkdirSync(path.dirname(absolute), { recursive: true });
      fs.writeFileSync(absolute, text);
    }
    return use(root);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The one connection the program stores under `name`. */
export function connectionNamed(report: ReportJson, name: string): ReportConnection {
  const found = report.connections.filter((connection) => connection.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one connection named ${name}, found ${found.length}: ${report.connections.map((c) => c.name).join(', ')}`);
  }
  return found[0]!;
}

/** `file:line COMMAND` for each blocking use, to compare as a list. */
export function blockingSites(connection: ReportConnection): string[] {
  return connection.blockingUses.map((use) => `${use.file}:${use.line} ${use.command}`);
}

export function commandSites(connection: ReportConnection): string[] {
  return connection.commandUses.map((use) => `${use.file}:${use.line} ${use.command}`);
}
