/**
 * The line width fixes keep (src/analysis/fix/layout.ts): Prettier's printWidth, else
 * EditorConfig's max_line_length for the file, else the file's own lines.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { globMatches, inferredWidth, lineWidthOf, overflows } from '../../src/analysis/fix/layout';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

/** A directory tree (a `.git` at its root, so nothing above it is read); the path of `file` in it. */
function tree(files: Record<string, string>, file: string): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'layout-'));
  temporary.push(root);
  fs.mkdirSync(path.join(root, '.git'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), text);
  }
  return path.join(root, file);
}

const SHORT = 'const a = 1;\n';
const line = (length: number) => `// ${'x'.repeat(length - 3)}`;

describe('inferredWidth', () => {
  it('is the smallest of 80, 100, 120 that 95% of the non-blank lines fit', () => {
    expect(inferredWidth([line(70), line(80), '', line(40)].join('\n'))).toBe(80);
    expect(inferredWidth([line(70), line(95), line(40)].join('\n'))).toBe(100);
    expect(inferredWidth([line(70), line(115), line(40)].join('\n'))).toBe(120);
    expect(inferredWidth([line(70), line(200)].join('\n'))).toBe(120);
    // One long line among twenty-five does not widen the file.
    expect(inferredWidth([...Array.from({ length: 24 }, () => line(60)), line(130)].join('\n'))).toBe(80);
  });

  it('counts a tab as two columns and ignores \\r', () => {
    expect(inferredWidth(`\t\t\t${line(74)}\r\n`)).toBe(80);
    expect(inferredWidth(`\t\t\t${line(76)}\r\n`)).toBe(100);
  });
});

describe('lineWidthOf', () => {
  it('reads printWidth from the nearest .prettierrc (JSON or YAML), .prettierrc.json or package.json', () => {
    expect(lineWidthOf(tree({ '.prettierrc': '{ "printWidth": 100 }', 'src/a.ts': SHORT }, 'src/a.ts'), SHORT)).toEqual({ width: 100, from: 'prettier' });
    expect(lineWidthOf(tree({ '.prettierrc': 'semi: false\nprintWidth: 90\n', 'a.ts': SHORT }, 'a.ts'), SHORT)).toEqual({ width: 90, from: 'prettier' });
    expect(lineWidthOf(tree({ 'pkg/.prettierrc.json': '{"printWidth":110}', '.prettierrc': '{"printWidth":70}', 'pkg/a.ts': SHORT }, 'pkg/a.ts'), SHORT).width).toBe(110);
    expect(lineWidthOf(tree({ 'package.json': '{"name":"x","prettier":{"printWidth":96}}', 'a.js': SHORT }, 'a.js'), SHORT)).toEqual({ width: 96, from: 'prettier' });
  });

  it("takes Prettier's default 80 from a Prettier config without printWidth, and ignores one in overrides", () => {
    const config = JSON.stringify({ singleQuote: true, overrides: [{ files: '*.md', options: { printWidth: 60 } }] });
    expect(lineWidthOf(tree({ '.prettierrc': config, 'a.ts': line(110) }, 'a.ts'), line(110))).toEqual({ width: 80, from: 'prettier' });
  });

  it('reads max_line_length for the file from .editorconfig sections, nearer files and later sections winning', () => {
    const editorconfig = 'root = true\n\n[*]\nmax_line_length = 120\n\n[*.{ts,js}]\nmax_line_length = 100\n\n[legacy/**.js]\nmax_line_length = off\n';
    expect(lineWidthOf(tree({ '.editorconfig': editorconfig, 'src/a.ts': SHORT }, 'src/a.ts'), SHORT)).toEqual({ width: 100, from: 'editorconfig' });
    expect(lineWidthOf(tree({ '.editorconfig': editorconfig, 'a.md': SHORT }, 'a.md'), SHORT)).toEqual({ width: 120, from: 'editorconfig' });
    // `off` sets no width: the file's lines decide.
    expect(lineWidthOf(tree({ '.editorconfig': editorconfig, 'legacy/old.js': SHORT }, 'legacy/old.js'), SHORT)).toEqual({ width: 80, from: 'file' });
    const nested = { '.editorconfig': editorconfig, 'src/.editorconfig': '[*.ts]\nmax_line_length = 90\n', 'src/a.ts': SHORT };
    expect(lineWidthOf(tree(nested, 'src/a.ts'), SHORT).width).toBe(90);
  });

  it("prefers Prettier's printWidth to EditorConfig", () => {
    expect(lineWidthOf(tree({ '.editorconfig': '[*]\nmax_line_length = 120\n', '.prettierrc': '{"printWidth":100}', 'a.ts': SHORT }, 'a.ts'), SHORT).width).toBe(100);
  });

  it('infers the width from the text without settings, or without a file on disk', () => {
    expect(lineWidthOf(tree({ 'a.ts': SHORT }, 'a.ts'), `${line(99)}\n`)).toEqual({ width: 100, from: 'file' });
    expect(lineWidthOf(undefined, `${line(60)}\n`)).toEqual({ width: 80, from: 'file' });
    expect(lineWidthOf('example.ts', `${line(60)}\n`)).toEqual({ width: 80, from: 'file' });
  });
});

describe('globMatches', () => {
  it('matches EditorConfig globs', () => {
    expect(globMatches('*', 'src/a.ts')).toBe(true);
    expect(globMatches('*.{ts,js}', 'src/a.js')).toBe(true);
    expect(globMatches('*.{ts,js}', 'src/a.md')).toBe(false);
    expect(globMatches('src/*.ts', 'src/a.ts')).toBe(true);
    expect(globMatches('src/*.ts', 'src/deep/a.ts')).toBe(false);
    expect(globMatches('src/**.ts', 'src/deep/a.ts')).toBe(true);
    expect(globMatches('fixture-?.[jt]s', 'fixture-1.ts')).toBe(true);
  });
});

describe('overflows', () => {
  it('is true only when a line that fits would no longer fit', () => {
    const source = `${line(70)}\nconst a = f(x);\n`;
    const at = source.lastIndexOf('x');
    expect(overflows(source, at, at + 1, 'x'.repeat(70), 80)).toBe(true);
    expect(overflows(source, at, at + 1, 'x'.repeat(20), 80)).toBe(false);
    // A line already past the width is the file's choice.
    const long = `const a = f(x); ${line(80)}\n`;
    expect(overflows(long, 12, 13, 'yy', 80)).toBe(false);
  });
});
