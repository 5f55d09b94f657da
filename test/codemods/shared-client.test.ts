/**
 * The `shared-client` codemod against its fixture pairs in __testfixtures__/shared-client: expected output
 * and reports, idempotence, a re-lint of every output with `redis/no-unreleased-connection`, tsc over the
 * TypeScript outputs, and the examples in docs/codemods/shared-client.md.
 */
import { describe } from 'vitest';
import sharedClient from '../../codemods/shared-client';
import { fixtureSuite } from './harness';

describe('shared-client', () => {
  // A per-call client closed in a finally is correct, only wasteful: the rule reports the leaky ones.
  fixtureSuite('shared-client', sharedClient, 'no-unreleased-connection', { allInputsReported: false });
});
