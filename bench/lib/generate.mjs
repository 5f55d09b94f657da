/**
 * Writes the generated corpora under bench/.work: an untyped service of N files (TS and JS mixed)
 * whose first 500/1,000/2,000 files are the smaller scaling sets, and a typed TypeScript project
 * with a tsconfig.json for the type-aware and `report` measurements. A corpus is regenerated only
 * when its stamp (template source + parameters) changes.
 */
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderFile } from './templates.mjs';

const TEMPLATE_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'templates.mjs');

function stampOf(parameters) {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(TEMPLATE_FILE));
  hash.update(JSON.stringify(parameters));
  return hash.digest('hex');
}

/** Writes (or reuses) a corpus; returns its files in generation order (absolute paths). */
export function generateCorpus(dir, { count, seed, typed = false }) {
  const parameters = { count, seed, typed };
  const stamp = stampOf(parameters);
  const stampFile = path.join(dir, '.stamp');
  const listFile = path.join(dir, '.files.json');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp && fs.existsSync(listFile)) {
    return JSON.parse(fs.readFileSync(listFile, 'utf8'));
  }
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const files = [];
  for (let index = 0; index < count; index++) {
    const file = renderFile(seed, index, { typedOnly: typed });
    const full = path.join(dir, file.path);
    fs.mkdirSync(path.dirname(full), { recursive: true });
    fs.writeFileSync(full, file.source);
    files.push(full);
  }
  if (typed) {
    fs.writeFileSync(
      path.join(dir, 'tsconfig.json'),
      `${JSON.stringify(
        {
          compilerOptions: {
            target: 'ES2022',
            module: 'node16',
            moduleResolution: 'node16',
            strict: true,
            esModuleInterop: true,
            skipLibCheck: true,
            noEmit: true,
            types: ['node'],
          },
          include: ['src'],
        },
        null,
        2,
      )}\n`,
    );
  }
  fs.writeFileSync(listFile, JSON.stringify(files));
  fs.writeFileSync(stampFile, stamp);
  return files;
}
