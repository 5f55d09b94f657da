/**
 * The report's link between its files: which analysed file a specifier names, and what a file
 * exports. Both come from the analysis's module view (src/analysis/modules.ts), so the report
 * follows exactly what the rules follow: relative imports, index files, `./x.js` for `./x.ts`,
 * tsconfig `paths` and `baseUrl`; never installed packages.
 */
import { getModuleView, readExports, type ExportTable } from '../analysis/modules';
import type { FileFacts } from './facts';

export class ProjectModules {
  private readonly exportsCache = new Map<FileFacts, ExportTable>();

  constructor(private readonly files: ReadonlyMap<string, FileFacts>) {}

  /** The analysed file a specifier names from `from`; undefined for packages and files outside the report. */
  resolve(specifier: string, from: FileFacts): FileFacts | undefined {
    const file = getModuleView().resolveSpecifier(from.file, specifier);
    return file === undefined ? undefined : this.files.get(file);
  }

  exportsOf(facts: FileFacts): ExportTable {
    let found = this.exportsCache.get(facts);
    if (!found) {
      found = readExports(facts.program);
      this.exportsCache.set(facts, found);
    }
    return found;
  }
}
