'use strict';
// The command line the extension uses to start the language server.
const assert = require('assert');
const path = require('path');
const fs = require('fs');
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

// The "▶ Run" lens's command line: the file and the pipeline as arguments of their own, whatever they hold.
const { runCommand } = require('../server-command');
assert.deepStrictEqual(runCommand('', 'java', '/home/ada/my project/train.pipe', 'fit'),
  { command: 'freestone', args: ['run', '/home/ada/my project/train.pipe', '--pipeline', 'fit'] });
assert.deepStrictEqual(runCommand('~/f.jar', '', '/p/$(rm -rf ~).pipe', 'fit', undefined, '/home/ada'),
  { command: 'java', args: ['-jar', path.join('/home/ada', 'f.jar'), 'run', '/p/$(rm -rf ~).pipe', '--pipeline', 'fit'] });
assert.deepStrictEqual(runCommand('', '', '/p/train.pipe', undefined),
  { command: 'freestone', args: ['run', '/p/train.pipe'] });
// "▶ Run to here": the step as an argument of its own after --only
assert.deepStrictEqual(runCommand('', '', '/p/train.pipe', 'fit', 'eval; rm -rf ~'),
  { command: 'freestone', args: ['run', '/p/train.pipe', '--pipeline', 'fit', '--only', 'eval; rm -rf ~'] });
console.log('ok   run command: the file and the pipeline as separate arguments, no shell');

// What extension.js registers and runs is what package.json declares: the command, its task type, the lens option.
const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'package.json'), 'utf8'));
const source = fs.readFileSync(path.join(__dirname, '..', 'extension.js'), 'utf8');
assert.ok(source.includes("registerCommand('freestone.run'"));
assert.deepStrictEqual(manifest.contributes.commands.map((c) => c.command), ['freestone.run']);
assert.ok(manifest.activationEvents.includes('onCommand:freestone.run'));
assert.ok(source.includes("{ type: 'freestone',"));
assert.deepStrictEqual(manifest.contributes.taskDefinitions.map((t) => t.type), ['freestone']);
assert.deepStrictEqual(Object.keys(manifest.contributes.taskDefinitions[0].properties), ['file', 'pipeline', 'step']);
assert.ok(source.includes("{ type: 'freestone', file, pipeline: pipeline || '', step: step || '' }"));
assert.ok(source.includes('initializationOptions: { runLens: true }'));
console.log('ok   manifest: the run command, its task type and the lens option match extension.js');

// The language configuration: valid JSON, regexes that compile and indent the way the language nests.
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
