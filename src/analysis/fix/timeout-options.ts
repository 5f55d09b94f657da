/**
 * Where a timeout option goes: the text edits that write it into the options a creation reads,
 * or why no edit is safe. Options are edited where they are written: the literal at the call,
 * or a same-file `const` (not exported) whose every read is the options of a creation that
 * wants the same edit. Options this file can't read (imported, computed, spread from
 * elsewhere) are left to the user, with the reason.
 */
import type { TSESTree } from '@typescript-eslint/utils';
import type { OptionsPosition } from '../../catalog';
import { AST_NODE_TYPES, isNullish, skipWrappersUp, unwrapExpression } from '../ast';
import type { RedisAnalysis } from '../context';
import { argumentAt, clientOptionsOf } from '../options';
import type { RedisValue } from '../origin';
import { findVariableFor, type Variable } from '../scope';
import { isExported } from '../uses';
import { widthOfAnalysed } from './layout';
import { appendArgumentEdit, propertyText, setValueEdit, writePathEdits } from './option-edits';
import type { TextEdit } from './text';

/** One option a creation needs. */
export interface OptionWant {
  value: RedisValue & { call: TSESTree.CallExpression | TSESTree.NewExpression };
  /** Where the option goes: the client options or the pool options. */
  position: 'options' | 'poolOptions';
  path: string[];
  amount: number;
  /** Set this existing property (a value that turns the bound off), or add the option. */
  property: TSESTree.Property | undefined;
}

type Owner = { ok: true; reads: TSESTree.Node[]; name: string | undefined } | { ok: false; reason: string };

/**
 * The edits that give a creation what it wants, or why there is no safe one. `wants` are every
 * want of the file: options shared by several creations are edited only when they all want the
 * same edit.
 */
export function optionWantEdits(want: OptionWant, wants: readonly OptionWant[], analysis: RedisAnalysis): TextEdit[] | string {
  const source = analysis.sourceCode.text;
  const { value } = want;
  const text = String(want.amount);
  if (want.property) {
    const owner = ownerOf(want.property, analysis);
    if (!owner.ok) return owner.reason;
    const other = disagreeingRead(owner, want, wants);
    return other ? sharedReason(owner, other) : [setValueEdit(source, want.property, text)];
  }
  const position = positionOf(want);
  // An override that sets a nested object replaces the source's whole object: only safe when
  // the source has none (a library may merge a cluster's per-node options one level deeper).
  const mergedDeeper = want.path[0] === value.nodeOptionsKey && value.library.mergesNodeOptionsOnDuplicate === true;
  if (value.inheritsFrom && want.path.length > 1 && !mergedDeeper) {
    if (clientOptionsOf(value.inheritsFrom, analysis.evaluator).get([want.path[0]!]).status !== 'absent') {
      return `its source sets ${want.path[0]}, which an override of ${want.path.join('.')} would replace as a whole; set it on the source`;
    }
  }
  const argument = argumentAt(value.call, position, analysis.evaluator);
  if (argument.status === 'unknown') return unreadableOptionsReason(value, position, analysis);
  if (argument.status === 'absent' || !argument.node) {
    const args = value.call.arguments;
    const fits = typeof position === 'number' ? args.length === position : args.length <= 2 && args.every((arg) => !isNullish(arg));
    if (!fits) return `its arguments leave no clear place for an options object; add ${want.path.join('.')} by hand`;
    return [appendArgumentEdit(source, value.call, `{ ${propertyText(want.path, text)} }`, widthOfAnalysed(analysis))];
  }
  const object = literalOf(argument.node, analysis);
  if (!object) return unreadableOptionsReason(value, position, analysis);
  const owner = ownerOf(object, analysis);
  if (!owner.ok) return owner.reason;
  const other = disagreeingRead(owner, want, wants);
  if (other) return sharedReason(owner, other);
  const written = writePathEdits(source, object, want.path, text, analysis.evaluator, widthOfAnalysed(analysis));
  return typeof written === 'string' ? `${written}; add ${want.path.join('.')} by hand` : written;
}

/** Why a creation's options can't be read: imported, computed, spread from elsewhere. */
export function unreadableOptionsReason(
  value: RedisValue & { call: TSESTree.CallExpression | TSESTree.NewExpression },
  position: OptionsPosition | undefined,
  analysis: RedisAnalysis,
): string {
  const argument = argumentAt(value.call, position, analysis.evaluator);
  const node = argument.node && unwrapExpression(argument.node);
  if (!node) return "its arguments can't be read statically (a spread); set the option where the options are made";
  if (node.type === AST_NODE_TYPES.Identifier) {
    const variable = findVariableFor(analysis.sourceCode, node);
    const kind = variable && declarationKind(variable);
    if (kind === 'let' || kind === 'var') return `its options \`${node.name}\` are held in a variable that may change; set the option where they are made`;
    const from = variable && importedFrom(variable);
    return from !== undefined
      ? `its options \`${node.name}\` are imported from '${from}'; set the option where they are made`
      : `its options \`${node.name}\` are not a literal this file can read; set the option where they are made`;
  }
  if (node.type === AST_NODE_TYPES.ObjectExpression) {
    for (const property of node.properties) {
      if (property.type !== AST_NODE_TYPES.SpreadElement) continue;
      if (analysis.evaluator.evaluate(property.argument).kind === 'object') continue;
      const spread = unwrapExpression(property.argument);
      const variable = spread.type === AST_NODE_TYPES.Identifier ? findVariableFor(analysis.sourceCode, spread) : undefined;
      const from = variable && importedFrom(variable);
      const name = analysis.sourceCode.getText(property.argument);
      return from !== undefined
        ? `its options spread \`${name}\`, imported from '${from}', which may set the option; set it where that is made`
        : `its options spread \`${name}\`, which this file can't read and which may set the option; set it by hand`;
    }
    return 'a value in its options is computed at run time; set the option by hand';
  }
  return 'its options are computed at run time; set the option where they are made';
}

function positionOf(want: OptionWant): OptionsPosition | undefined {
  return want.position === 'options' ? want.value.optionsArg : want.value.poolOptionsArg;
}

/** The object literal an options argument is: written inline, or a same-file `const` holding one. */
function literalOf(node: TSESTree.Node, analysis: RedisAnalysis): TSESTree.ObjectExpression | undefined {
  const inner = unwrapExpression(node);
  if (inner.type === AST_NODE_TYPES.ObjectExpression) return inner;
  if (inner.type !== AST_NODE_TYPES.Identifier) return undefined;
  const variable = findVariableFor(analysis.sourceCode, inner);
  const def = variable?.defs.length === 1 ? variable.defs[0] : undefined;
  if (def?.type !== 'Variable' || declarationKind(variable!) !== 'const') return undefined;
  if (def.node.id !== def.name || !def.node.init) return undefined;
  const init = unwrapExpression(def.node.init);
  return init.type === AST_NODE_TYPES.ObjectExpression ? init : undefined;
}

/**
 * Which options a node sits in: a literal in a creation's arguments, or a same-file `const` (not
 * exported) whose reads are checked against the creations that read it.
 */
function ownerOf(node: TSESTree.Node, analysis: RedisAnalysis): Owner {
  let top: TSESTree.Node = node;
  // Up through the literals and properties it is nested in (and TS wrappers) to the outermost literal.
  for (let up = skipWrappersUp(node).parent; up?.type === AST_NODE_TYPES.ObjectExpression || up?.type === AST_NODE_TYPES.Property; up = skipWrappersUp(up).parent) {
    if (up.type === AST_NODE_TYPES.ObjectExpression) top = up;
  }
  const { parent } = skipWrappersUp(top);
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || !parent.init || unwrapExpression(parent.init) !== top) {
    return { ok: true, reads: [top], name: undefined };
  }
  const variable = parent.id.type === AST_NODE_TYPES.Identifier ? findVariableFor(analysis.sourceCode, parent.id) : undefined;
  if (!variable || declarationKind(variable) !== 'const' || variable.defs.length !== 1) {
    return { ok: false, reason: 'its options object is held in a variable that may change; set the option by hand' };
  }
  if (isExported(variable, analysis.sourceCode)) {
    return { ok: false, reason: `its options object \`${variable.name}\` is exported, and other modules may use it where the option is wrong; set it by hand` };
  }
  const reads = variable.references.filter((reference) => !reference.init && reference.isRead()).map((reference) => reference.identifier);
  return { ok: true, reads, name: variable.name };
}

/** A read of the options outside the arguments of every creation that wants the same edit. */
function disagreeingRead(owner: { reads: TSESTree.Node[] }, want: OptionWant, wants: readonly OptionWant[]): TSESTree.Node | undefined {
  return owner.reads.find((read) => {
    const call = creationReading(read);
    if (!call) return true;
    return !wants.some(
      (other) =>
        other.value.call === call &&
        other.position === want.position &&
        other.amount === want.amount &&
        other.property === want.property &&
        other.path.join('.') === want.path.join('.'),
    );
  });
}

function sharedReason(owner: { name: string | undefined }, read: TSESTree.Node): string {
  const what = owner.name ? `its options object \`${owner.name}\`` : 'its options';
  return `${what} is also read at line ${read.loc.start.line}, where this option is not wanted or needs another value; set it by hand`;
}

/** The call or `new` that takes a node (through wrappers) as one of its arguments. */
function creationReading(node: TSESTree.Node): TSESTree.Node | undefined {
  const { node: outer, parent } = skipWrappersUp(node);
  if ((parent?.type === AST_NODE_TYPES.CallExpression || parent?.type === AST_NODE_TYPES.NewExpression) && parent.arguments.includes(outer as TSESTree.CallExpressionArgument)) {
    return parent;
  }
  return undefined;
}

function declarationKind(variable: Variable): string | undefined {
  const def = variable.defs[0];
  if (def?.type === 'ImportBinding') return 'import';
  return def?.type === 'Variable' ? def.parent.kind : undefined;
}

function importedFrom(variable: Variable): string | undefined {
  const def = variable.defs[0];
  if (def?.type !== 'ImportBinding') return undefined;
  const declaration = def.parent;
  return declaration?.type === AST_NODE_TYPES.ImportDeclaration ? String(declaration.source.value) : undefined;
}

/**
 * The property sits in options only this creation reads: inline in its arguments, or in a
 * same-file constant (not exported) read once, there.
 */
export function onlyThisCreationReads(property: TSESTree.Property, call: TSESTree.CallExpression | TSESTree.NewExpression, analysis: RedisAnalysis): boolean {
  let object: TSESTree.Node = property.parent;
  while (object.parent?.type === AST_NODE_TYPES.Property && object.parent.parent.type === AST_NODE_TYPES.ObjectExpression) {
    object = object.parent.parent;
  }
  if (withinArguments(object, call)) return true;
  const { node: outer, parent } = skipWrappersUp(object);
  if (parent?.type !== AST_NODE_TYPES.VariableDeclarator || parent.init !== outer || parent.id.type !== AST_NODE_TYPES.Identifier) return false;
  const variable = findVariableFor(analysis.sourceCode, parent.id);
  if (!variable || isExported(variable, analysis.sourceCode)) return false;
  const reads = variable.references.filter((reference) => !reference.init && reference.isRead());
  return reads.length === 1 && withinArguments(reads[0]!.identifier, call);
}

function withinArguments(node: TSESTree.Node, call: TSESTree.CallExpression | TSESTree.NewExpression): boolean {
  const first = call.arguments[0];
  const last = call.arguments[call.arguments.length - 1];
  return !!first && !!last && node.range[0] >= first.range[0] && node.range[1] <= last.range[1];
}
