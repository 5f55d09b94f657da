/**
 * Path analysis for one loan: from the statement after the acquisition, every way control can
 * leave (falling off the end of the block, return, throw, break, continue) and whether the loan
 * is still held on it. Any statement that calls, awaits or reads a property may throw, which is
 * exactly the path a release on the happy path misses. A release statement ends the loan even
 * when it throws (a release that rejects is not on loan any more).
 */
import { mayThrow, type Node } from './ast';

export type ExitKind = 'normal' | 'return' | 'throw' | 'break' | 'continue';

export interface Exit {
  kind: ExitKind;
  label?: string;
  held: boolean;
}

const LOOPS = new Set(['WhileStatement', 'DoWhileStatement', 'ForStatement', 'ForInStatement', 'ForOfStatement']);

export class HoldAnalysis {
  constructor(private readonly isRelease: (statement: Node) => boolean) {}

  /** The exits of a statement sequence entered with the loan held (or not). */
  list(statements: readonly Node[], held: boolean): Exit[] {
    const exits: Exit[] = [];
    let states = new Set<boolean>([held]);
    for (const statement of statements) {
      const next = new Set<boolean>();
      for (const state of states) {
        for (const exit of this.statement(statement, state)) {
          if (exit.kind === 'normal') next.add(exit.held);
          else exits.push(exit);
        }
      }
      states = next;
      if (states.size === 0) break;
    }
    for (const state of states) exits.push({ kind: 'normal', held: state });
    return dedupe(exits);
  }

  /** Whether any way out of the sequence still holds the loan. */
  leaks(statements: readonly Node[]): boolean {
    return this.list(statements, true).some((exit) => exit.held);
  }

  private statement(node: Node, held: boolean): Exit[] {
    // Once given back, nothing later in this sequence can hold it again.
    if (!held) return [{ kind: 'normal', held: false }];
    if (this.isRelease(node)) return [{ kind: 'normal', held: false }];
    const throwsIf = (part: Node | null | undefined): Exit[] => (part && mayThrow(part) ? [{ kind: 'throw', held }] : []);
    switch (node.type) {
      case 'BlockStatement':
      case 'StaticBlock':
        return this.list(node.body, held);
      case 'ExpressionStatement':
      case 'VariableDeclaration':
        return [...throwsIf(node), { kind: 'normal', held }];
      case 'ReturnStatement':
        return [...throwsIf(node.argument), { kind: 'return', held }];
      case 'ThrowStatement':
        return [{ kind: 'throw', held }];
      case 'BreakStatement':
        return [{ kind: 'break', label: node.label?.name, held }];
      case 'ContinueStatement':
        return [{ kind: 'continue', label: node.label?.name, held }];
      case 'IfStatement':
        return dedupe([
          ...throwsIf(node.test),
          ...this.statement(node.consequent, held),
          ...(node.alternate ? this.statement(node.alternate, held) : [{ kind: 'normal' as const, held }]),
        ]);
      case 'TryStatement':
        return this.tryStatement(node, held);
      case 'SwitchStatement':
        return this.switchStatement(node, held, undefined);
      case 'LabeledStatement':
        return this.labeled(node, held);
      case 'WithStatement':
        return dedupe([...throwsIf(node.object), ...this.statement(node.body, held)]);
      case 'ExportNamedDeclaration':
      case 'ExportDefaultDeclaration':
        return node.declaration ? this.statement(node.declaration, held) : [{ kind: 'normal', held }];
      case 'FunctionDeclaration':
      case 'EmptyStatement':
      case 'DebuggerStatement':
      case 'ImportDeclaration':
      case 'TSTypeAliasDeclaration':
      case 'TSInterfaceDeclaration':
      case 'TSDeclareFunction':
        return [{ kind: 'normal', held }];
      default:
        if (LOOPS.has(node.type)) return this.loop(node, held, []);
        return [{ kind: 'throw', held }, { kind: 'normal', held }];
    }
  }

  private tryStatement(node: Node, held: boolean): Exit[] {
    let exits = this.list(node.block.body, held);
    if (node.handler) {
      const handled: Exit[] = [];
      for (const exit of exits) {
        if (exit.kind === 'throw') handled.push(...this.list(node.handler.body.body, exit.held));
        else handled.push(exit);
      }
      exits = handled;
    }
    if (!node.finalizer) return dedupe(exits);
    const result: Exit[] = [];
    for (const exit of exits) {
      for (const after of this.list(node.finalizer.body, exit.held)) {
        // A finally that completes normally resumes the pending exit; an abrupt one replaces it.
        result.push(after.kind === 'normal' ? { ...exit, held: after.held } : after);
      }
    }
    return dedupe(result);
  }

  private labeled(node: Node, held: boolean): Exit[] {
    const labels: string[] = [];
    let body = node;
    while (body.type === 'LabeledStatement') {
      labels.push(body.label.name);
      body = body.body;
    }
    if (LOOPS.has(body.type)) return this.loop(body, held, labels);
    if (body.type === 'SwitchStatement') return this.switchStatement(body, held, labels);
    return dedupe(
      this.statement(body, held).map((exit) =>
        exit.kind === 'break' && exit.label !== undefined && labels.includes(exit.label) ? { kind: 'normal', held: exit.held } : exit,
      ),
    );
  }

  private loop(node: Node, held: boolean, labels: string[]): Exit[] {
    const exits: Exit[] = [];
    const ownTarget = (exit: Exit) => exit.label === undefined || labels.includes(exit.label);
    const head = node.type === 'ForStatement' ? node.test : node.type === 'ForInStatement' || node.type === 'ForOfStatement' ? node.right : node.test;
    let entry = held;
    if (node.type === 'ForStatement' && node.init) {
      const init = this.statement(node.init.type === 'VariableDeclaration' ? node.init : { type: 'ExpressionStatement', expression: node.init }, held);
      exits.push(...init.filter((exit) => exit.kind !== 'normal'));
      entry = init.some((exit) => exit.kind === 'normal' && exit.held);
    }
    const pending = [entry];
    const seen = new Set<boolean>();
    while (pending.length > 0) {
      const state = pending.pop()!;
      if (seen.has(state)) continue;
      seen.add(state);
      if (state && head && mayThrow(head)) exits.push({ kind: 'throw', held: state });
      if (state && node.update && mayThrow(node.update)) exits.push({ kind: 'throw', held: state });
      // The loop may end at its head (a do-while only after a first pass; counting it earlier only adds a held exit).
      exits.push({ kind: 'normal', held: state });
      for (const exit of this.statement(node.body, state)) {
        if (exit.kind === 'break' && ownTarget(exit)) exits.push({ kind: 'normal', held: exit.held });
        else if ((exit.kind === 'continue' && ownTarget(exit)) || exit.kind === 'normal') pending.push(exit.held);
        else exits.push(exit);
      }
    }
    return dedupe(exits);
  }

  private switchStatement(node: Node, held: boolean, labels: string[] | undefined): Exit[] {
    const exits: Exit[] = [];
    if (mayThrow(node.discriminant)) exits.push({ kind: 'throw', held });
    let fallthrough = new Set<boolean>();
    for (const switchCase of node.cases) {
      const entries = new Set<boolean>([held, ...fallthrough]);
      fallthrough = new Set<boolean>();
      for (const state of entries) {
        for (const exit of this.list(switchCase.consequent, state)) {
          if (exit.kind === 'normal') fallthrough.add(exit.held);
          else if (exit.kind === 'break' && (exit.label === undefined || labels?.includes(exit.label))) {
            exits.push({ kind: 'normal', held: exit.held });
          } else exits.push(exit);
        }
      }
    }
    for (const state of fallthrough) exits.push({ kind: 'normal', held: state });
    if (!node.cases.some((switchCase: Node) => switchCase.test === null)) exits.push({ kind: 'normal', held });
    return dedupe(exits);
  }
}

function dedupe(exits: Exit[]): Exit[] {
  const seen = new Set<string>();
  return exits.filter((exit) => {
    const key = `${exit.kind}:${exit.label ?? ''}:${exit.held}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
