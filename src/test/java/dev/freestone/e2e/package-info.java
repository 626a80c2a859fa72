/**
 * End-to-end tests: the {@code freestone} CLI driven as a user drives it, on real files and a temp
 * run store. In: the examples and small pipelines written by the tests. Out: assertions on exit
 * codes, printed text, {@code show --output json}, the files steps wrote and the OS processes left.
 * Holds: in-process runs ({@link dev.freestone.cli.Main#run}) choose their store with the
 * {@code freestone.home} property; behaviour that needs a process (kill -9, signals, memory limits,
 * concurrent engines) runs a child JVM with {@code FREESTONE_HOME}. Every test uses its own temp
 * store, so they can run in any order. docs/cli.md is generated here ({@code CliDocTest}).
 */
package dev.freestone.e2e;
