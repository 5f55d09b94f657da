/**
 * In-memory ts-morph projects for the report's tests: files by absolute path, the same compiler
 * options a project without a tsconfig gets. Library modules don't resolve in memory, so
 * recognition there is by import specifier alone; the on-disk fixtures cover types.
 */
import { Project, ts } from 'ts-morph';
import { takeInventory, type Inventory, type InventoryOptions } from '../../src/project/inventory';
import { buildReport, DEFAULT_BUDGET, type BudgetOptions, type ReportConnection, type ReportJson } from '../../src/project/report';
import { isProjectSource } from '../../src/project/syntax';

export function memoryProject(files: Record<string, string>): Project {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      allowJs: true,
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      esModuleInterop: true,
    },
  });
  for (const [file, text] of Object.entries(files)) project.createSourceFile(file, text);
  return project;
}

export function inventoryOf(files: Record<string, string>, options: InventoryOptions = {}): Inventory {
  return takeInventory(memoryProject(files).getSourceFiles().filter(isProjectSource), options);
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
