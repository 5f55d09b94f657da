/**
 * Type-based recognition, used when origin tracking finds nothing and type information exists:
 * a parameter typed `Redis`, `RedisClientType` or `Pool<Redis>`, a class field, a client
 * imported from another module. A type counts when its declaration lives in a catalog library's
 * package and its name is one the catalog lists.
 */
import type { ParserServicesWithTypeInformation, TSESTree } from '@typescript-eslint/utils';
import type * as ts from 'typescript';
import { isRedisClientLibrary, libraryForTypePackage, type LibraryCatalog, type ValueKind } from '../catalog';
import type { Origin, RedisValue } from './origin';

interface TypeMatch {
  library: LibraryCatalog;
  kind: ValueKind;
  promised: boolean;
  resource?: 'redis' | 'other';
}

const PACKAGE_IN_PATH = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/g;

export class TypeRecognizer {
  private readonly checker: ts.TypeChecker;
  private readonly typeCache = new Map<ts.Type, TypeMatch | null>();

  private readonly nullOrUndefinedFlags: number;
  private readonly nullishFlags: number;
  private readonly anyFlags: number;

  constructor(private readonly services: ParserServicesWithTypeInformation) {
    this.checker = services.program.getTypeChecker();
    // Loaded only here: a program exists, so TypeScript is installed. Flag values differ
    // between TypeScript versions, so read them rather than spell them.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const typescript = require('typescript') as typeof ts;
    this.nullOrUndefinedFlags = typescript.TypeFlags.Undefined | typescript.TypeFlags.Null;
    this.nullishFlags = this.nullOrUndefinedFlags | typescript.TypeFlags.Void;
    this.anyFlags = typescript.TypeFlags.Any | typescript.TypeFlags.Unknown | typescript.TypeFlags.TypeParameter;
  }

  originOf(node: TSESTree.Node): Origin | undefined {
    let type: ts.Type;
    try {
      type = this.services.getTypeAtLocation(node);
    } catch {
      return undefined;
    }
    const match = this.classify(type, 0);
    if (!match) return undefined;
    const value: RedisValue = {
      library: match.library,
      kind: match.kind,
      creation: this.identityOf(node),
      how: 'type',
      typedResource: match.resource,
    };
    const origin: Origin = { type: 'value', value };
    return match.promised ? { type: 'promise', of: origin } : origin;
  }

  /** Whether the node's type admits null or undefined (false when the checker can't say). */
  admitsNullOrUndefined(node: TSESTree.Node): boolean {
    try {
      const type = this.services.getTypeAtLocation(node);
      return (type.isUnion() ? type.types : [type]).some((member) => (member.flags & this.nullOrUndefinedFlags) !== 0);
    } catch {
      return false;
    }
  }

  /**
   * Values read through the same declaration (a parameter, a field, an import) are the same
   * value: use that declaration as the identity when it is in this file.
   */
  private identityOf(node: TSESTree.Node): TSESTree.Node {
    const tsNode = this.services.esTreeNodeToTSNodeMap.get(node as never) as ts.Node | undefined;
    if (!tsNode) return node;
    const target = (tsNode as ts.PropertyAccessExpression).name ?? tsNode;
    const symbol = this.checker.getSymbolAtLocation(target);
    const declaration = symbol?.declarations?.[0];
    if (declaration && declaration.getSourceFile() === tsNode.getSourceFile()) {
      const mapped = this.services.tsNodeToESTreeNodeMap.get(declaration as never) as TSESTree.Node | undefined;
      if (mapped) return mapped;
    }
    return node;
  }

  private classify(type: ts.Type, depth: number): TypeMatch | undefined {
    if (depth > 4) return undefined;
    const cached = this.typeCache.get(type);
    if (cached !== undefined) return cached ?? undefined;
    this.typeCache.set(type, null);
    const result = this.compute(type, depth);
    this.typeCache.set(type, result ?? null);
    return result;
  }

  private compute(type: ts.Type, depth: number): TypeMatch | undefined {
    if (type.isUnion()) {
      // `Redis | undefined`: the non-nullish members must all agree.
      const members = type.types.filter((member) => !(member.flags & this.nullishFlags));
      const matches = members.map((member) => this.classify(member, depth + 1));
      const first = matches[0];
      if (!first || !matches.every((m) => m && m.library === first.library && m.kind === first.kind)) return undefined;
      return first;
    }
    if (type.isIntersection()) {
      for (const member of type.types) {
        const match = this.classify(member, depth + 1);
        if (match) return match;
      }
    }
    for (const symbol of [type.aliasSymbol, type.getSymbol()]) {
      if (!symbol) continue;
      const name = symbol.getName();
      if (name === 'Promise') {
        const inner = this.typeArguments(type)[0];
        const match = inner && this.classify(inner, depth + 1);
        return match ? { ...match, promised: true } : undefined;
      }
      const library = libraryOfSymbol(symbol);
      const kind = library?.typeNames[name];
      if (!library || !kind) continue;
      const match: TypeMatch = { library, kind, promised: false };
      if (kind === 'pool' && !isRedisClientLibrary(library)) {
        const resourceType = this.typeArguments(type)[0];
        const resource = resourceType && this.classify(resourceType, depth + 1);
        // Pool<any>, Pool<unknown> and Pool<T> say nothing about the resource.
        const opaque = !resourceType || (resourceType.flags & this.anyFlags) !== 0;
        match.resource = resource && isRedisClientLibrary(resource.library) ? 'redis' : opaque ? undefined : 'other';
      }
      return match;
    }
    return undefined;
  }

  private typeArguments(type: ts.Type): readonly ts.Type[] {
    if (type.aliasTypeArguments?.length) return type.aliasTypeArguments;
    try {
      return this.checker.getTypeArguments(type as ts.TypeReference);
    } catch {
      return [];
    }
  }
}

function libraryOfSymbol(symbol: ts.Symbol): LibraryCatalog | undefined {
  for (const declaration of symbol.declarations ?? []) {
    const fileName = declaration.getSourceFile().fileName;
    let packageName: string | undefined;
    for (const match of fileName.matchAll(PACKAGE_IN_PATH)) packageName = match[1]?.replace(/\\/g, '/');
    if (packageName?.startsWith('@types/') && !packageName.startsWith('@types/generic-pool')) continue;
    const library = packageName ? libraryForTypePackage(packageName) : undefined;
    if (library) return library;
  }
  return undefined;
}
