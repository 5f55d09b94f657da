/** The analysis layer: the one place that says what a value is. Rules and codemods ask here. */
export * from './ast';
export * from './commands';
export * from './context';
export * from './options';
export * from './origin';
export * from './scope';
export * from './static-value';
export * from './type-recognition';
export * from './uses';
export * from './versions';
export * from './pools';
