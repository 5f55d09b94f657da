/** Every call, `new` and assignment in the project's own files: what the resolver indexes. */
import { SyntaxKind, type BinaryExpression, type Node, type SourceFile } from 'ts-morph';

/** Collected once per file, before any resolution. */
export class ProjectIndex {
  readonly calls: Node[] = [];
  readonly assignments: BinaryExpression[] = [];

  constructor(readonly files: readonly SourceFile[]) {
    // getDescendantsOfKind walks the compiler's nodes and wraps only the matches: a project-wide
    // walk that wrapped every node would spend its time in ts-morph's node cache.
    for (const file of files) {
      this.calls.push(...file.getDescendantsOfKind(SyntaxKind.CallExpression));
      this.calls.push(...file.getDescendantsOfKind(SyntaxKind.NewExpression));
      for (const binary of file.getDescendantsOfKind(SyntaxKind.BinaryExpression)) {
        if (ASSIGNMENTS.has(binary.getOperatorToken().getKind())) this.assignments.push(binary);
      }
    }
  }
}

const ASSIGNMENTS = new Set([
  SyntaxKind.EqualsToken,
  SyntaxKind.QuestionQuestionEqualsToken,
  SyntaxKind.BarBarEqualsToken,
]);
