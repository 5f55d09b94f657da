/**
 * Project-wide analysis behind `redis-lint report`: find the project's files, read each with the
 * analysis the rules use, take the inventory of its Redis connections, compute the budget, and
 * render the report.
 */
export { loadProject, ProjectLoadError, type LoadedProject, type LoadOptions } from './load';
export {
  takeInventory,
  type BlockingUse,
  type CommandUse,
  type Connection,
  type ConnectionKind,
  type Inventory,
  type UnparsedFile,
  type InventoryOptions,
} from './inventory';
export {
  buildReport,
  computeBudget,
  DEFAULT_BUDGET,
  REPORT_SCHEMA_VERSION,
  type BudgetOptions,
  type FindingRule,
  type ReportBudget,
  type ReportConnection,
  type ReportFinding,
  type ReportJson,
} from './report';
export { formatReport, MARKDOWN_MARKER, REPORT_FORMATS, type ReportFormat } from './format';
