/**
 * The examples in docs/codemods/<name>.md are real: every "Before" block, run through the
 * codemod, gives the "After" block that follows it, and every codemod has a page with examples.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { applyTransform } from 'jscodeshift/src/testUtils';
import { describe, expect, it } from 'vitest';
import { CODEMODS } from '../../codemods';
import * as managedLifecycle from '../../codemods/managed-lifecycle';
import * as releaseInFinally from '../../codemods/release-in-finally';

const TRANSFORMS: Record<string, Parameters<typeof applyTransform>[0]> = {
  'release-in-finally': releaseInFinally,
  'managed-lifecycle': managedLifecycle,
};

const docs = path.resolve(__dirname, '..', '..', 'docs', 'codemods');

interface Example {
  title: string;
  language: string;
  before: string;
  after: string;
}

function examplesOf(markdown: string): Example[] {
  const examples: Example[] = [];
  const lines = markdown.split('\n');
  let title = '';
  let pending: { language: string; code: string } | undefined;
  let role: 'before' | 'after' | undefined;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^(#+)\s+(.*)$/.exec(lines[i]!);
    if (heading) {
      if (heading[2] === 'Before') role = 'before';
      else if (heading[2] === 'After') role = 'after';
      else {
        title = heading[2]!;
        role = undefined;
      }
      continue;
    }
    const fence = /^```(\w+)/.exec(lines[i]!);
    if (!fence) continue;
    let end = i + 1;
    while (end < lines.length && !lines[end]!.startsWith('```')) end++;
    const code = `${lines.slice(i + 1, end).join('\n')}\n`;
    if (role === 'before') pending = { language: fence[1]!, code };
    else if (role === 'after' && pending) {
      examples.push({ title, language: pending.language, before: pending.code, after: code });
      pending = undefined;
    }
    i = end;
  }
  return examples;
}

describe('codemod docs', () => {
  it('has a page for every codemod and lists them in the README', () => {
    const readme = fs.readFileSync(path.join(docs, 'README.md'), 'utf8');
    for (const codemod of CODEMODS.filter((entry) => TRANSFORMS[entry.name])) {
      expect(fs.existsSync(path.join(docs, `${codemod.name}.md`)), codemod.name).toBe(true);
      expect(readme).toContain(`[\`${codemod.name}\`](${codemod.name}.md)`);
    }
  });

  for (const name of Object.keys(TRANSFORMS)) {
    describe(name, () => {
      const examples = examplesOf(fs.readFileSync(path.join(docs, `${name}.md`), 'utf8'));

      it('has before/after examples', () => {
        expect(examples.length).toBeGreaterThanOrEqual(3);
      });

      for (const example of examples) {
        it(example.title, () => {
          // A path in this repository, so node_modules (and the installed node-redis) is found from it.
          const file = path.join(docs, `example.${example.language}`);
          const output = applyTransform(TRANSFORMS[name]!, {}, { path: file, source: example.before });
          expect(`${output}\n`).toBe(example.after);
          expect(applyTransform(TRANSFORMS[name]!, {}, { path: file, source: example.after })).toBe('');
        });
      }
    });
  }
});
