/**
 * The TypeScript outputs of the release-in-finally and managed-lifecycle fixtures type-check
 * against the real packages in node_modules (generic-pool, tarn, ioredis, redis,
 * @valkey/valkey-glide): a rewrite that only parses is not enough.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const fixtures = path.join(__dirname, '__testfixtures__');
// The codemods whose outputs this file checks (each codemod's own tests may add theirs).
const CODEMODS = ['release-in-finally', 'managed-lifecycle'];

function outputs(): string[] {
  const files: string[] = [];
  for (const codemod of CODEMODS) {
    for (const file of fs.readdirSync(path.join(fixtures, codemod))) {
      if (/\.output\.tsx?$/.test(file)) files.push(path.join(fixtures, codemod, file));
    }
  }
  return files.sort();
}

describe('TypeScript fixture outputs', () => {
  const files = outputs();

  it('has outputs to check', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('type-check with strict settings (tsc --noEmit)', () => {
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      lib: ['lib.es2023.d.ts'],
      module: ts.ModuleKind.Preserve,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      esModuleInterop: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(__dirname, '..', '..', 'node_modules', '@types')],
    });
    const diagnostics = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const where = diagnostic.file ? `${path.relative(fixtures, diagnostic.file.fileName)}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}` : '';
      return `${where} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
    });
    expect(diagnostics).toEqual([]);
  });
});
