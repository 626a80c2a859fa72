'use strict';
// The VS Code side of Freestone. Highlighting comes from syntaxes/pipe.tmLanguage.json (generated from
// the ANTLR lexer); this file starts the language server (`freestone lsp`) over stdio for .pipe files
// and restarts it when its settings change.
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverCommand } = require('./server-command');

let client;

async function startClient() {
  const config = vscode.workspace.getConfiguration('freestone');
  const { command, args } = serverCommand(config.get('server.jar'), config.get('server.java'));
  const executable = { command, args, transport: TransportKind.stdio };
  client = new LanguageClient('freestone', 'Freestone', { run: executable, debug: executable }, {
    documentSelector: [
      { scheme: 'file', language: 'pipe' },
      { scheme: 'untitled', language: 'pipe' },
    ],
    // no `synchronize.fileEvents`: the server registers its own watcher of **/*.pipe (one set of events, not two)
  });
  try {
    await client.start();
  } catch (e) {
    client = undefined;
    vscode.window.showErrorMessage(
      `Freestone: the language server did not start (\`${[command, ...args].join(' ')}\`: ${e && e.message ? e.message : e}).`
        + ' Set "freestone.server.jar" to the path of freestone.jar, or put the freestone launcher on PATH.');
  }
}

async function stopClient() {
  if (client) {
    const running = client;
    client = undefined;
    await running.stop();
  }
}

async function activate(context) {
  context.subscriptions.push(vscode.workspace.onDidChangeConfiguration(async (event) => {
    if (event.affectsConfiguration('freestone.server')) {
      await stopClient();
      await startClient();
    }
  }));
  await startClient();
}

function deactivate() {
  return stopClient();
}

module.exports = { activate, deactivate };
