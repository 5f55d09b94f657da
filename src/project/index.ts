/**
 * Project-wide analysis behind `redis-lint report`: find the project's files, read each with the
 * analysis the rules use, take the inventory of its Redis connections, compute the budget, and
 * render the report.
 */
export { loadProject, ProjectLoadError } from './load';
export { takeInventory } from './inventory';
export { buildReport, DEFAULT_BUDGET, type FindingRule, type ReportJson } from './report';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './format';
