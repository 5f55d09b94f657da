/**
 * Imported first by the codemods that apply the analysis's plans. jscodeshift's CLI (with its
 * default `--babel`) compiles every module a transform requires through `@babel/register`,
 * node_modules included: ESLint, typescript-estree and TypeScript itself, over a minute per
 * worker. The codemods ship compiled, so once the transform is loaded the hook is undone and
 * what it requires loads as it is.
 */
for (const [id, loaded] of Object.entries(require.cache)) {
  if (!/[\\/]@babel[\\/]register[\\/]lib[\\/]nodeWrapper\.c?js$/.test(id)) continue;
  const register = loaded?.exports as { revert?: () => void } | undefined;
  register?.revert?.();
}

export {};
