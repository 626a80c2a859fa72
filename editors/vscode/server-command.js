'use strict';
// How the extension starts the language server; kept apart from extension.js so that it can be tested
// without VS Code.
const os = require('os');
const path = require('path');

/**
 * `java -jar JAR lsp` when the setting freestone.server.jar names a jar (a leading `~` is the home
 * directory), the `freestone` launcher on PATH (`freestone lsp`) otherwise. Arguments stay separate:
 * no shell ever sees the path.
 */
function serverCommand(jarSetting, javaSetting, home = os.homedir()) {
  const jar = (jarSetting || '').trim();
  if (jar === '') {
    return { command: 'freestone', args: ['lsp'] };
  }
  const expanded = jar === '~' || jar.startsWith('~/') ? path.join(home, jar.slice(1)) : jar;
  return { command: (javaSetting || '').trim() || 'java', args: ['-jar', expanded, 'lsp'] };
}

module.exports = { serverCommand };
