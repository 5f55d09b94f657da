/** @type {import('eslint-doc-generator').GenerateOptions} */
module.exports = {
  configEmoji: [
    ['recommended', '✅'],
    ['all', '🌐'],
  ],
  ignoreConfig: ['legacy-recommended', 'legacy-all', 'legacy-tests', 'tests'],
  ruleDocTitleFormat: 'desc-parens-prefix-name',
  ruleListColumns: ['name', 'description', 'configsError', 'fixable', 'hasSuggestions', 'requiresTypeChecking', 'options'],
  pathRuleDoc: 'docs/rules/{name}.md',
  pathRuleList: 'README.md',
};
