/**
 * One analysis per linted file, shared by every rule that runs on it: the origin resolver, the
 * static evaluator, version detection, command classification and (when the parser has a
 * program) type recognition.
 */
import type { ParserServicesWithTypeInformation, TSESLint } from '@typescript-eslint/utils';
import * as path from 'node:path';
import { CommandClassifier } from './commands';
import { getModuleView, moduleSettingsOf } from './modules';
import { registerSource } from './node-index';
import { OriginResolver } from './origin';
import { StaticEvaluator } from './static-value';
import { TypeRecognizer } from './type-recognition';
import { VersionResolver, type RedisSettings } from './versions';

export interface RedisAnalysis {
  sourceCode: Readonly<TSESLint.SourceCode>;
  origins: OriginResolver;
  evaluator: StaticEvaluator;
  versions: VersionResolver;
  commands: CommandClassifier;
  /** Present only when type information is available. */
  types: TypeRecognizer | undefined;
  /** The file analysed, as the linter names it (fixes read its formatting settings from it). */
  filename?: string;
}

const analyses = new WeakMap<object, RedisAnalysis>();

export function getRedisAnalysis(context: Readonly<TSESLint.RuleContext<string, readonly unknown[]>>): RedisAnalysis {
  const sourceCode = context.sourceCode;
  const existing = analyses.get(sourceCode);
  if (existing) return existing;
  const services = sourceCode.parserServices as Partial<ParserServicesWithTypeInformation> | undefined;
  const types =
    services?.program && services.esTreeNodeToTSNodeMap && typeof services.getTypeAtLocation === 'function'
      ? new TypeRecognizer(services as ParserServicesWithTypeInformation)
      : undefined;
  const settings = (context.settings as { redis?: RedisSettings } | undefined)?.redis;
  const modules = moduleSettingsOf(settings);
  // The module view needs a file on disk to resolve imports from.
  const project = modules.enabled && path.isAbsolute(context.filename) ? { file: context.filename, view: getModuleView(), settings: modules } : undefined;
  const versions = new VersionResolver(context.filename, settings);
  const origins = new OriginResolver(sourceCode, types, versions, project);
  // With the module view, imported constants (a project's config object) are read from their module.
  const hooks = project?.view.constantHooks(project.file);
  const evaluator = new StaticEvaluator(sourceCode, hooks?.binding, hooks?.required);
  const analysis: RedisAnalysis = {
    sourceCode,
    origins,
    evaluator,
    versions,
    commands: new CommandClassifier(origins, evaluator),
    types,
    filename: context.filename,
  };
  analyses.set(sourceCode, analysis);
  registerSource(sourceCode.ast, sourceCode as never);
  return analysis;
}
