/**
 * In-memory projects for the report's tests: files by absolute path, read by the same analysis
 * the rules use. Library modules are recognised by import specifier (no node_modules beside
 * them, so majors come from `versions` or default to the newest); the on-disk fixtures cover
 * detection.
 */
import { takeInventory, type Inventory, type InventoryOptions } from '../../src/project/inventory';
import { buildReport, DEFAULT_BUDGET, type BudgetOptions, type ReportConnection, type ReportJson } from '../../src/project/report';

export function inventoryOf(files: Record<string, string>, options: InventoryOptions = {}): Inventory {
  return takeInventory(Object.keys(files), {
    ...options,
    readFile: (file) => {
      const text = files[file];
      if (text === undefined) throw new Error(`no such file in the test project: ${file}`);
      return text;
    },
  });
}

export function reportOf(
  files: Record<string, string>,
  budget: Partial<BudgetOptions> = {},
  options: InventoryOptions = {},
): ReportJson {
  return buildReport(inventoryOf(files, options), { root: '/', config: undefined }, { ...DEFAULT_BUDGET, ...budget });
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
