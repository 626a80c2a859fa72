'use strict';
// The command line the extension uses to start the language server.
const assert = require('assert');
const path = require('path');
const { serverCommand } = require('../server-command');

assert.deepStrictEqual(serverCommand('', 'java'), { command: 'freestone', args: ['lsp'] });
assert.deepStrictEqual(serverCommand(undefined, undefined), { command: 'freestone', args: ['lsp'] });
assert.deepStrictEqual(serverCommand('  ', 'java'), { command: 'freestone', args: ['lsp'] });
assert.deepStrictEqual(serverCommand('/opt/free stone/freestone.jar', ''),
  { command: 'java', args: ['-jar', '/opt/free stone/freestone.jar', 'lsp'] });
assert.deepStrictEqual(serverCommand('target/freestone.jar', '/usr/lib/jvm/17/bin/java'),
  { command: '/usr/lib/jvm/17/bin/java', args: ['-jar', 'target/freestone.jar', 'lsp'] });
assert.deepStrictEqual(serverCommand('~/tools/freestone.jar', 'java', '/home/ada'),
  { command: 'java', args: ['-jar', path.join('/home/ada', 'tools/freestone.jar'), 'lsp'] });
console.log('ok   server command: launcher on PATH, or java -jar with the configured jar');

// The language configuration: valid JSON, regexes that compile and indent the way the language nests.
const fs = require('fs');
const config = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'language-configuration.json'), 'utf8'));
assert.deepStrictEqual(config.comments, { lineComment: '//', blockComment: ['/*', '*/'] });
const increase = new RegExp(config.indentationRules.increaseIndentPattern);
const decrease = new RegExp(config.indentationRules.decreaseIndentPattern);
for (const line of ['pipeline p() {', '  retry {', '  command = [', '  x = f(', '  for x in xs parallel 2 {']) {
  assert.ok(increase.test(line), `indents after: ${line}`);
}
for (const line of ['  retry { limit = 2 }', '  x = f(a)', '// a comment {', '  image = "python:3.12"']) {
  assert.ok(!increase.test(line), `does not indent after: ${line}`);
}
for (const line of ['}', '  }', '  ]', ')']) {
  assert.ok(decrease.test(line), `outdents: ${line}`);
}
assert.ok(!decrease.test('  x = {a: 1}'));
new RegExp(config.folding.markers.start);
new RegExp(config.folding.markers.end);
const words = new RegExp(`^(?:${config.wordPattern})$`);
for (const word of ['test_fraction', '512Mi', '30s', '1.5e-3', '_x1']) {
  assert.ok(words.test(word), `one word: ${word}`);
}
const closing = config.autoClosingPairs.map((p) => p.open);
for (const open of ['{', '[', '(', '"', '"""']) {
  assert.ok(closing.includes(open), `auto-closes ${open}`);
}
console.log('ok   language configuration: comments, indentation, folding, words, auto-closing pairs');
