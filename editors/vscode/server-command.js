'use strict';
// The command lines the extension runs (the language server, a pipeline); kept apart from extension.js so that
// they can be tested without VS Code.
const os = require('os');
const path = require('path');

/**
 * `java -jar JAR ARGS...` when the setting freestone.server.jar names a jar (a leading `~` is the home
 * directory), the `freestone` launcher on PATH (`freestone ARGS...`) otherwise. Arguments stay separate:
 * no shell ever sees a path or a name.
 */
function freestoneCommand(jarSetting, javaSetting, args, home = os.homedir()) {
  const jar = (jarSetting || '').trim();
  if (jar === '') {
    return { command: 'freestone', args: [...args] };
  }
  const expanded = jar === '~' || jar.startsWith('~/') ? path.join(home, jar.slice(1)) : jar;
  return { command: (javaSetting || '').trim() || 'java', args: ['-jar', expanded, ...args] };
}

/** The language server: `freestone lsp`. */
function serverCommand(jarSetting, javaSetting, home = os.homedir()) {
  return freestoneCommand(jarSetting, javaSetting, ['lsp'], home);
}

/**
 * A run of one pipeline of a file, as the lens above it asks: `freestone run FILE --pipeline NAME`; without a
 * name (the command palette), the file's one pipeline (the CLI names them when there are several). With a step
 * (the "Run to here" lens above it), that step and the steps it needs: `--only STEP`.
 */
function runCommand(jarSetting, javaSetting, file, pipeline, step, home = os.homedir()) {
  return freestoneCommand(jarSetting, javaSetting, ['run', file, ...(pipeline ? ['--pipeline', pipeline] : []),
    ...(step ? ['--only', step] : [])], home);
}

module.exports = { serverCommand, runCommand };
