/**
 * Which parser reads which file. TypeScript files get jscodeshift's `ts` parser (so `<T>x`
 * casts still parse in `.ts`) and `tsx`; plain JavaScript gets Babel with JSX and no type
 * syntax, because the TypeScript and Flow grammars misread some valid JavaScript:
 * `a < b > (c)` becomes a generic call, and sloppy-mode scripts (`with`, `010`) are rejected.
 * A file that declares `@flow` gets the Flow grammar. All of them produce the same Babel AST
 * shape (no `estree` plugin), which the recognition in this folder relies on.
 */
import * as path from 'node:path';
import type { Parser } from 'jscodeshift';
import type { Node } from './ast';
// jscodeshift's own Babel wrapper takes custom options, so no second copy of @babel/parser is needed.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const babylon = require('jscodeshift/parser/babylon') as (options?: object) => Parser;

export type ParserName = 'ts' | 'tsx' | 'js' | 'flow';

const JS_OPTIONS = {
  sourceType: 'unambiguous',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowAwaitOutsideFunction: true,
  allowImportExportEverywhere: true,
  startLine: 1,
  tokens: true,
  plugins: [
    'jsx',
    ['decorators', { decoratorsBeforeExport: false }],
    'decoratorAutoAccessors',
    'doExpressions',
    'exportDefaultFrom',
    'functionBind',
    'functionSent',
    'importAttributes',
    'throwExpressions',
    ['pipelineOperator', { proposal: 'minimal' }],
    'explicitResourceManagement',
  ],
};

let jsParser: Parser | undefined;
let flowParser: Parser | undefined;

/** The parser name for a file: by extension, and by the `@flow` pragma for JavaScript. */
export function parserNameFor(filePath: string, source?: string): ParserName {
  const extension = path.extname(filePath).toLowerCase();
  if (extension === '.ts' || extension === '.mts' || extension === '.cts') return 'ts';
  if (extension === '.tsx') return 'tsx';
  if (source !== undefined && hasFlowPragma(source)) return 'flow';
  return 'js';
}

/** What to hand `jscodeshift.withParser` for a file. */
export function parserFor(filePath: string, source?: string): string | Parser {
  switch (parserNameFor(filePath, source)) {
    case 'ts':
      return 'ts';
    case 'tsx':
      return 'tsx';
    case 'flow':
      flowParser ??= babylon();
      return flowParser;
    case 'js':
      jsParser ??= babylon(JS_OPTIONS);
      return jsParser;
  }
}

/** `// @flow` or `/* @flow *\/` in the leading comments. */
function hasFlowPragma(source: string): boolean {
  const head = /^(?:\s|\/\/[^\n]*\n|\/\*[\s\S]*?\*\/)*/.exec(source)?.[0] ?? '';
  return /@flow\b/.test(head);
}

const named = new Map<string, Parser>();

/** Parses a file's text into Babel's AST (with tokens and comments), by its parser. */
export function parseSource(filePath: string, text: string): Node {
  const choice = parserFor(filePath, text);
  let parser: Parser;
  if (typeof choice === 'string') {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parser = named.get(choice) ?? (require(`jscodeshift/parser/${choice}`) as () => Parser)();
    named.set(choice, parser);
  } else {
    parser = choice;
  }
  return parser.parse(text) as Node;
}
