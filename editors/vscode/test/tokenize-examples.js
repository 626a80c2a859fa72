'use strict';
// Tokenizes every .pipe file under the repository's examples/ and stdlib/ (recursively) and under
// test/samples/ with the generated grammar, through the same engine as VS Code (vscode-textmate with
// the Oniguruma regex library), and fails when a token is marked invalid.illegal or when a string or
// comment is still open at the end of a file: both mean the grammar and the language disagree, or the
// file is wrong.
const fs = require('fs');
const path = require('path');
const vsctm = require('vscode-textmate');
const oniguruma = require('vscode-oniguruma');

const extensionDir = path.resolve(__dirname, '..');
const repoDir = path.resolve(extensionDir, '..', '..');
const grammarPath = path.join(extensionDir, 'syntaxes', 'pipe.tmLanguage.json');
const SCOPE = 'source.pipe';

function pipeFiles(dir) {
  if (!fs.existsSync(dir)) {
    return [];
  }
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(...pipeFiles(full));
    } else if (entry.isFile() && entry.name.endsWith('.pipe')) {
      out.push(full);
    }
  }
  return out.sort();
}

async function loadGrammar() {
  const wasm = fs.readFileSync(path.join(path.dirname(require.resolve('vscode-oniguruma')), 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === SCOPE ? vsctm.parseRawGrammar(fs.readFileSync(grammarPath, 'utf8'), grammarPath) : null,
  });
  return registry.loadGrammar(SCOPE);
}

// The string and comment scopes still open in a state: those of an empty line tokenized in it.
function openRegions(grammar, stack) {
  return grammar.tokenizeLine('', stack).tokens[0].scopes.filter((s) => /^(string|comment)\./.test(s));
}

function check(grammar, file) {
  const name = path.relative(repoDir, file).split(path.sep).join('/');
  const lines = fs.readFileSync(file, 'utf8').split(/\r\n|\n|\r/);
  if (lines.length > 0 && lines[lines.length - 1] === '') {
    lines.pop();
  }
  const problems = [];
  let stack = vsctm.INITIAL;
  let openedAt = 0;
  lines.forEach((line, i) => {
    const result = grammar.tokenizeLine(line, stack);
    for (const token of result.tokens) {
      const bad = token.scopes.find((s) => s.startsWith('invalid.illegal'));
      if (bad) {
        const text = line.slice(token.startIndex, token.endIndex);
        problems.push(`${name}:${i + 1}:${token.startIndex + 1}: ${bad} on \`${text}\``);
      }
    }
    const wasOpen = openRegions(grammar, stack).length > 0;
    stack = result.ruleStack;
    if (!wasOpen && openRegions(grammar, stack).length > 0) {
      openedAt = i + 1;
    }
  });
  const open = openRegions(grammar, stack);
  if (open.length > 0) {
    problems.push(`${name}:${openedAt}: ${open.join(' ')} opened here is still open at the end of the file`);
  }
  return { name, lines: lines.length, problems };
}

async function main() {
  const grammar = await loadGrammar();
  const repoFiles = ['examples', 'stdlib'].flatMap((d) => pipeFiles(path.join(repoDir, d)));
  if (repoFiles.length === 0) {
    console.log('no .pipe files under examples/ or stdlib/ yet: only the samples are checked');
  }
  const files = [...repoFiles, ...pipeFiles(path.join(__dirname, 'samples'))];
  let failures = 0;
  for (const file of files) {
    const { name, lines, problems } = check(grammar, file);
    if (problems.length === 0) {
      console.log(`ok   ${name} (${lines} lines)`);
    } else {
      failures++;
      console.log(`FAIL ${name}`);
      problems.forEach((p) => console.log(`  ${p}`));
    }
  }
  console.log(`tokenized ${files.length} .pipe files, ${failures} with problems`);
  process.exitCode = failures === 0 && files.length > 0 ? 0 : 1;
}

main().catch((e) => {
  console.error(`tokenize-examples: ${e && e.stack ? e.stack : e}`);
  process.exitCode = 1;
});
