/**
 * The {@code freestone} command line (picocli): one class per command, registered in {@code
 * Commands}; {@code Main.run(args, out, err[, env])} runs it in-process.
 *
 * <p>In: arguments, the environment ({@code FREESTONE_HOME}, {@code KUBECONFIG}, {@code ARGO_TOKEN},
 * {@code FREESTONE_LAUNCHER}, checked before a local run starts; an in-process caller may pass its
 * own, except the launcher: the engine reads it from the process, and a different one passed is
 * refused), .pipe files. Out: text for people or JSON for scripts on
 * stdout, diagnostics and {@code error:}/{@code = help:} lines on stderr, exit status 0 ok, 1 the
 * pipeline, the run or the cluster failed, 2 usage error, 3 a bug in Freestone.
 *
 * <p>What holds: the compiler's phases run before anything runs or is sent (a local run, an Argo
 * submission); local and Argo runs go through the same run store and the same progress view; the
 * cluster commands share one set of connection flags ({@code ClusterOptions}) and print every
 * {@code ArgoException} as one error and one help line; no token is printed or stored; a user
 * mistake never prints a stack trace; one engine owns a local run at a time ({@code resume} claims
 * it in one store transaction, events {@code engine} and {@code resumed-by}); a file of a run deleted
 * by hand (a log, an artifact object) is named as gone, never passed over in silence; a failed local
 * run's help names the {@code freestone run} line that runs it again with its parameters ({@code RerunLine}),
 * since {@code resume} runs the pipeline as it was (and {@code resume} warns of what {@code run} warns of before
 * its steps start: a secret file others can read, a file or .pipe changed since); the files that artifact parameters name, a run's own
 * and the defaults of the pipelines it calls ({@code CallDefaults}), are copied into the store when the
 * run starts, each relative to the file that wrote it and inside the workspace. {@code ui} serves what
 * {@code runs}, {@code show}, {@code logs}, {@code artifacts} and {@code metrics} print as HTML pages
 * ({@code UiPages}, {@code Html}), read by those commands' own methods, on 127.0.0.1, GET and HEAD only.
 */
package dev.freestone.cli;
