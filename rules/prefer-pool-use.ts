// Placeholder so the registry compiles while the rule is being written in its own issue.
import { createRule } from '../src/create-rule';

export default createRule<[], 'placeholder'>({
  name: 'prefer-pool-use',
  meta: {
    type: 'problem',
    docs: { description: 'Work in progress', recommended: false },
    messages: { placeholder: 'placeholder' },
    schema: [],
  },
  defaultOptions: [],
  create() {
    return {};
  },
});
