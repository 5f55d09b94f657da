/** Every rule of the plugin, by name. A test checks this list against the folder and the docs. */
import noBlockingOnSharedClient from './no-blocking-on-shared-client';
import noOversizedPool from './no-oversized-pool';
import noUnreleasedConnection from './no-unreleased-connection';
import preferPoolUse from './prefer-pool-use';
import requireErrorListener from './require-error-listener';
import requireTimeout from './require-timeout';

export const rules = {
  'no-blocking-on-shared-client': noBlockingOnSharedClient,
  'no-oversized-pool': noOversizedPool,
  'no-unreleased-connection': noUnreleasedConnection,
  'prefer-pool-use': preferPoolUse,
  'require-error-listener': requireErrorListener,
  'require-timeout': requireTimeout,
};

export type RuleName = keyof typeof rules;
