/**
 * Block-accurate scope look-ups on the jscodeshift AST: which declaration an identifier names,
 * and every reference to a declaration. (ast-types' own scopes stop at functions, so `let` in a
 * loop body and a shadowing `const` in a nested block would be confused.)
 */
import { boundIdentifiers, isFunction, walk, walkOwn, type Node, type ParentIndex, type Slot } from './ast';

export type BindingKind = 'var' | 'let' | 'const' | 'using' | 'param' | 'import' | 'function' | 'class' | 'catch' | 'other';

export interface Binding {
  name: string;
  kind: BindingKind;
  /** The identifier that declares it. */
  identifier: Node;
  /** The node whose region the binding covers (program, function, block, loop, catch). */
  scope: Node;
  /** The statement or function that declares it. */
  declaration: Node;
  /** For variables: the declarator. */
  declarator?: Node;
  /** For imports: the specifier. */
  specifier?: Node;
}

export interface Reference {
  identifier: Node;
  slot: Slot;
  /** Assigned to (`x = …`, `x++`, `[x] = …`, `for (x of …)`). */
  write: boolean;
  /** Read (everything but a plain `=` target). */
  read: boolean;
}

export class Scopes {
  private readonly tables = new WeakMap<Node, Map<string, Binding>>();

  constructor(private readonly index: ParentIndex) {}

  /** The declaration an identifier reference names, or undefined for globals. */
  resolve(identifier: Node): Binding | undefined {
    const name: string = identifier.name;
    for (const ancestor of this.index.ancestors(identifier)) {
      const binding = this.table(ancestor).get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /**
   * The binding a name has where `from` is (for names in type annotations, whose nodes have no
   * parent links: pass the annotated node).
   */
  lookup(name: string, from: Node): Binding | undefined {
    for (const scope of [from, ...this.index.ancestors(from)]) {
      const binding = this.table(scope).get(name);
      if (binding) return binding;
    }
    return undefined;
  }

  /** The binding a scope node (program, function, block) itself declares under a name. */
  declaredIn(scope: Node, name: string): Binding | undefined {
    return this.table(scope).get(name);
  }

  /** Every reference to a binding (its declaring identifier excluded). */
  referencesOf(binding: Binding): Reference[] {
    const references: Reference[] = [];
    walk(binding.scope, (node, slot) => {
      if (node.type !== 'Identifier' || node.name !== binding.name || !slot || node === binding.identifier) return;
      const role = referenceRole(node, slot, this.index);
      if (!role) return;
      if (this.resolve(node) === binding) references.push({ identifier: node, slot, ...role });
    });
    return references;
  }

  private table(node: Node): Map<string, Binding> {
    let table = this.tables.get(node);
    if (!table) {
      table = declarationsOf(node);
      this.tables.set(node, table);
    }
    return table;
  }
}

function declarationsOf(node: Node): Map<string, Binding> {
  const table = new Map<string, Binding>();
  const add = (identifier: Node, kind: BindingKind, declaration: Node, extra: Partial<Binding> = {}) => {
    if (identifier?.type === 'Identifier' && !table.has(identifier.name)) {
      table.set(identifier.name, { name: identifier.name, kind, identifier, scope: node, declaration, ...extra });
    }
  };
  switch (node.type) {
    case 'Program':
      for (const statement of node.body) addLexical(statement, add, true);
      addHoistedVars(node, add);
      break;
    case 'BlockStatement':
    case 'StaticBlock':
      for (const statement of node.body) addLexical(statement, add, false);
      break;
    case 'SwitchStatement':
      for (const switchCase of node.cases) for (const statement of switchCase.consequent) addLexical(statement, add, false);
      break;
    case 'ForStatement':
      if (node.init?.type === 'VariableDeclaration' && node.init.kind !== 'var') addVariables(node.init, add);
      break;
    case 'ForInStatement':
    case 'ForOfStatement':
      if (node.left.type === 'VariableDeclaration' && node.left.kind !== 'var') addVariables(node.left, add);
      break;
    case 'CatchClause':
      for (const identifier of boundIdentifiers(node.param)) add(identifier, 'catch', node);
      break;
    default:
      if (isFunction(node)) {
        for (const param of node.params) for (const identifier of boundIdentifiers(param)) add(identifier, 'param', node);
        if (node.type === 'FunctionExpression' && node.id) add(node.id, 'function', node);
        if (node.body?.type === 'BlockStatement') addHoistedVars(node.body, add);
      } else if (node.type === 'ClassExpression' && node.id) {
        add(node.id, 'class', node);
      }
  }
  return table;
}

type Adder = (identifier: Node, kind: BindingKind, declaration: Node, extra?: Partial<Binding>) => void;

function addLexical(statement: Node, add: Adder, topLevel: boolean): void {
  let declaration = statement;
  if ((statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportDefaultDeclaration') && statement.declaration) {
    declaration = statement.declaration;
  }
  switch (declaration.type) {
    case 'VariableDeclaration':
      if (declaration.kind !== 'var') addVariables(declaration, add);
      break;
    case 'FunctionDeclaration':
      if (declaration.id) add(declaration.id, 'function', declaration);
      break;
    case 'ClassDeclaration':
      if (declaration.id) add(declaration.id, 'class', declaration);
      break;
    case 'TSEnumDeclaration':
    case 'TSModuleDeclaration':
      if (declaration.id?.type === 'Identifier') add(declaration.id, 'other', declaration);
      break;
    case 'ImportDeclaration':
      if (!topLevel) break;
      for (const specifier of declaration.specifiers ?? []) add(specifier.local, 'import', declaration, { specifier });
      break;
    case 'TSImportEqualsDeclaration':
      add(declaration.id, 'import', declaration);
      break;
  }
}

function addVariables(declaration: Node, add: Adder): void {
  const kind: BindingKind =
    declaration.kind === 'const' ? 'const' : declaration.kind === 'let' ? 'let' : declaration.kind === 'var' ? 'var' : 'using';
  for (const declarator of declaration.declarations) {
    for (const identifier of boundIdentifiers(declarator.id)) add(identifier, kind, declaration, { declarator });
  }
}

/** `var` declarations anywhere in a function body or program, outside nested functions. */
function addHoistedVars(body: Node, add: Adder): void {
  walkOwn(body, (node) => {
    if (node.type === 'VariableDeclaration' && node.kind === 'var') addVariables(node, add);
  });
}

/**
 * Whether an identifier in this slot is a reference (and whether it is read or written), or
 * something else: a property name, a label, or a declaration.
 */
function referenceRole(identifier: Node, slot: Slot, index: ParentIndex): { read: boolean; write: boolean } | undefined {
  const { parent, key } = slot;
  switch (parent.type) {
    case 'MemberExpression':
    case 'OptionalMemberExpression':
      if (key === 'property' && !parent.computed) return undefined;
      break;
    case 'ObjectProperty':
    case 'ObjectMethod':
    case 'ClassProperty':
    case 'ClassPrivateProperty':
    case 'ClassMethod':
    case 'ClassAccessorProperty':
    case 'TSPropertySignature':
      if (key === 'key' && !parent.computed) return undefined;
      break;
    case 'LabeledStatement':
    case 'BreakStatement':
    case 'ContinueStatement':
    case 'ImportSpecifier':
    case 'ImportDefaultSpecifier':
    case 'ImportNamespaceSpecifier':
    case 'MetaProperty':
    case 'TSEnumMember':
    case 'TSImportEqualsDeclaration':
      return undefined;
    case 'ExportSpecifier':
      return key === 'local' ? { read: true, write: false } : undefined;
    case 'FunctionDeclaration':
    case 'FunctionExpression':
    case 'ClassDeclaration':
    case 'ClassExpression':
      if (key === 'id') return undefined;
      break;
    case 'UpdateExpression':
      return { read: true, write: true };
  }
  // Climb through patterns to find out whether this is a declaration, an assignment target or a read.
  let currentSlot: Slot | undefined = slot;
  while (currentSlot) {
    const { parent: p, key: k } = currentSlot;
    if (p.type === 'ObjectProperty' && k === 'value') {
      const owner = index.parentOf(p);
      if (owner?.type !== 'ObjectPattern') return { read: true, write: false };
    } else if (!(p.type === 'ObjectPattern' || p.type === 'ArrayPattern' || p.type === 'RestElement' || (p.type === 'AssignmentPattern' && k === 'left'))) {
      if (p.type === 'VariableDeclarator' && k === 'id') return undefined;
      if (isFunction(p) && k === 'params') return undefined;
      if (p.type === 'TSParameterProperty') return undefined;
      if (p.type === 'CatchClause' && k === 'param') return undefined;
      if (p.type === 'AssignmentExpression' && k === 'left') {
        return { read: p.operator !== '=', write: true };
      }
      if ((p.type === 'ForOfStatement' || p.type === 'ForInStatement') && k === 'left') return { read: false, write: true };
      return { read: true, write: false };
    }
    currentSlot = index.slotOf(p);
  }
  return { read: true, write: false };
}
