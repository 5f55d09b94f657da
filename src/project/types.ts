/**
 * Type-based recognition for the report: a value whose TypeScript type is declared in a catalog
 * library's package under a name the catalog lists (`Redis`, `RedisClientType`, `Pool<Redis>`).
 * Used where origin tracking can't reach (a parameter nobody visibly calls, an injected field):
 * it says what a value is, never which connection it is.
 */
import { TypeFlags, type Node, type Symbol as MorphSymbol, type Type } from 'ts-morph';
import { isRedisClientLibrary, libraryForModule, libraryForTypePackage, type LibraryCatalog, type ValueKind } from '../catalog';
import { packageOf } from './syntax';

export interface TypedValue {
  library: LibraryCatalog;
  kind: ValueKind;
  /** For a generic-pool or tarn pool: the library of its resources, when the type says. */
  resource?: LibraryCatalog;
}

const NULLISH = TypeFlags.Undefined | TypeFlags.Null | TypeFlags.Void;

export class TypeRecognizer {
  private readonly cache = new Map<Type, TypedValue | null>();

  /** What the node's type says it is, if it is a catalog type. Promises are looked through. */
  valueOf(node: Node): TypedValue | undefined {
    let type: Type;
    try {
      type = node.getType();
    } catch {
      return undefined;
    }
    return this.classify(type, 0);
  }

  /**
   * Whether the node may hold a connection as far as its type goes: a catalog type, or no type
   * information at all (`any`, `unknown`: JavaScript, untyped parameters). A parameter typed
   * `string[]` is not worth following to its call sites.
   */
  couldBeConnection(node: Node): boolean {
    let type: Type;
    try {
      type = node.getType();
    } catch {
      return true;
    }
    const members = type.isUnion() ? type.getUnionTypes() : [type];
    return members.some(
      (member) => member.isAny() || member.isUnknown() || member.isTypeParameter() || this.classify(member, 0) !== undefined,
    );
  }

  private classify(type: Type, depth: number): TypedValue | undefined {
    if (depth > 4) return undefined;
    const cached = this.cache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    this.cache.set(type, null);
    const result = this.compute(type, depth);
    this.cache.set(type, result ?? null);
    return result;
  }

  private compute(type: Type, depth: number): TypedValue | undefined {
    if (type.isUnion()) {
      // `Redis | undefined`: the non-nullish members must all agree.
      const members = type.getUnionTypes().filter((member) => !(member.getFlags() & NULLISH));
      const matches = members.map((member) => this.classify(member, depth + 1));
      const first = matches[0];
      return first && matches.every((m) => m && m.library === first.library && m.kind === first.kind) ? first : undefined;
    }
    if (type.isIntersection()) {
      for (const member of type.getIntersectionTypes()) {
        const match = this.classify(member, depth + 1);
        if (match) return match;
      }
      return undefined;
    }
    for (const symbol of [type.getAliasSymbol(), type.getSymbol()]) {
      if (!symbol) continue;
      const name = symbol.getName();
      if (name === 'Promise') {
        const inner = this.typeArguments(type)[0];
        return inner ? this.classify(inner, depth + 1) : undefined;
      }
      const library = libraryOfSymbol(symbol);
      const kind = library?.typeNames[name];
      if (!library || !kind) continue;
      const match: TypedValue = { library, kind };
      if (kind === 'pool' && !isRedisClientLibrary(library)) {
        const resourceType = this.typeArguments(type)[0];
        const resource = resourceType ? this.classify(resourceType, depth + 1) : undefined;
        if (resource && isRedisClientLibrary(resource.library)) match.resource = resource.library;
      }
      return match;
    }
    return undefined;
  }

  private typeArguments(type: Type): Type[] {
    const alias = type.getAliasTypeArguments();
    return alias.length > 0 ? alias : type.getTypeArguments();
  }
}

/** The catalog library whose package declares the symbol. */
export function libraryOfSymbol(symbol: MorphSymbol): LibraryCatalog | undefined {
  for (const declaration of symbol.getDeclarations()) {
    const library = libraryOfFile(declaration.getSourceFile().getFilePath());
    if (library) return library;
  }
  return undefined;
}

export function libraryOfFile(filePath: string): LibraryCatalog | undefined {
  const packageName = packageOf(filePath);
  if (!packageName) return undefined;
  // DefinitelyTyped packages count only when the catalog lists them (@types/generic-pool).
  return libraryForTypePackage(packageName) ?? (packageName.startsWith('@types/') ? undefined : libraryForModule(packageName));
}
