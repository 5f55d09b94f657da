// Types for files.mjs, which the corpus tests (TypeScript) and the benchmark (plain Node) share.
export declare const REPO_ROOT: string;
export declare const NODE_MODULES: string;
export declare function corpusPackages(): { thirdParty: string[]; clients: string[]; all: string[] };
export declare function byPath(a: string, b: string): number;
export declare function shippedSources(packageRoot: string): string[];
export declare function corpusFiles(nodeModules?: string): { files: string[]; missing: string[] };
export declare function nodeModulesSample(options?: {
  minimum?: number;
  maxBytes?: number;
  nodeModules?: string;
}): { files: string[]; population: number; stride: number; oversized: number };
