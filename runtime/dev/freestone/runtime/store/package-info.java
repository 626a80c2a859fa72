/**
 * The run store: where every run of every pipeline is recorded, local or on Argo.
 *
 * <p>In: what the local engine and the Argo backend tell it — runs ({@link
 * dev.freestone.runtime.store.NewRun}), tasks, attempts, events, produced artifacts, consumed
 * inputs (lineage) and metric values — and artifact content to keep.
 *
 * <p>Out: the same as immutable records ({@link dev.freestone.runtime.store.RunRecord},
 * {@link dev.freestone.runtime.store.TaskRecord}, ...), a run looked up by id prefix as a
 * {@link dev.freestone.runtime.store.RunLookup} value, cached results by cache key, and an artifact's
 * producers and consumers by digest (a remote one's by location), each through an index.
 *
 * <p>What holds: everything lives under the Freestone home ({@link
 * dev.freestone.runtime.store.FreestoneHome}): one SQLite database in WAL mode with a versioned
 * schema, and a content-addressed artifact directory. A crash or {@code kill -9} at any moment
 * leaves both consistent: committed rows stay, objects appear whole or not at all. Several
 * processes may write one store at once. Environment variables and secrets are never stored.
 * What it makes in a home ({@code runs/}, {@code artifacts/}, the database) is its owner's alone, also
 * in a home that already existed. Runs are deleted rows first, files after the commit; a
 * {@link dev.freestone.runtime.store.Sweep} removes what no row accounts for, objects only while no
 * process holds the artifact store's lock (every run shares it), and never follows a link out of the home.
 * See {@code docs/run-store.md}.
 */
package dev.freestone.runtime.store;
