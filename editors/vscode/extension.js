'use strict';
// The VS Code side of Freestone. Highlighting comes from syntaxes/pipe.tmLanguage.json (generated from
// the ANTLR lexer); this file starts the language server (`freestone lsp`) over stdio for .pipe files,
// restarts it when its settings change, and runs a pipeline as a task from the "▶ Run" lens above it.
const path = require('path');
const vscode = require('vscode');
const { LanguageClient, TransportKind } = require('vscode-languageclient/node');
const { serverCommand, runCommand } = require('./server-command');

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
    // the server offers "▶ Run" lenses only to a client that runs their command (freestone.run, below)
    initializationOptions: { runLens: true },
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

/**
 * `freestone run FILE --pipeline NAME` as a task in the terminal panel, from the workspace folder holding the file
 * (where relative --param paths are read from), after saving the file: what runs is what the editor shows. From
 * the command palette: the active .pipe file. With a step ("Run to here"), `--only STEP`.
 */
async function runPipeline(uri, pipeline, step) {
  const document = uri
    ? await vscode.workspace.openTextDocument(vscode.Uri.parse(uri))
    : vscode.window.activeTextEditor && vscode.window.activeTextEditor.document;
  if (!document || document.languageId !== 'pipe') {
    vscode.window.showErrorMessage('Freestone: open a .pipe file to run its pipeline.');
    return;
  }
  if (document.uri.scheme !== 'file') {
    vscode.window.showErrorMessage('Freestone: save the file first; a pipeline runs from a .pipe file on disk.');
    return;
  }
  if (document.isDirty && !(await document.save())) {
    return;
  }
  const config = vscode.workspace.getConfiguration('freestone');
  const file = document.uri.fsPath;
  const { command, args } = runCommand(config.get('server.jar'), config.get('server.java'), file, pipeline, step);
  const folder = vscode.workspace.getWorkspaceFolder(document.uri);
  const task = new vscode.Task({ type: 'freestone', file, pipeline: pipeline || '', step: step || '' },
    folder || vscode.TaskScope.Workspace, `run ${pipeline || path.basename(file)}${step ? ` --only ${step}` : ''}`, 'freestone',
    new vscode.ProcessExecution(command, args, { cwd: folder ? folder.uri.fsPath : path.dirname(file) }));
  await vscode.tasks.executeTask(task);
}

async function activate(context) {
  context.subscriptions.push(vscode.commands.registerCommand('freestone.run', runPipeline));
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
