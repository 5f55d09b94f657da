/** Behind `redis-lint report`: load the project's files, take the inventory, build and render the report. */
export { loadProject, ProjectLoadError } from './load';
export { takeInventory } from './inventory';
export { buildReport, DEFAULT_BUDGET, type FindingRule, type ReportJson } from './report';
export { formatReport, REPORT_FORMATS, type ReportFormat } from './format';
