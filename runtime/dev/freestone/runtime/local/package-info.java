/**
 * The local engine: runs a program's IR ({@link dev.freestone.ir.Ir.Program}, never the AST) on this
 * machine with the semantics Argo gives it.
 *
 * <p><b>In:</b> a program, parameter values (JSON), {@link dev.freestone.runtime.local.EngineOptions},
 * a {@link dev.freestone.runtime.local.RunRecorder} (the run store, or
 * {@link dev.freestone.runtime.local.MemoryRecorder}) and an
 * {@link dev.freestone.runtime.local.Artifacts} store ({@link dev.freestone.runtime.local.StoreArtifacts}).
 * {@link dev.freestone.runtime.local.StoreRecorder} records into the run store.
 * <b>Out:</b> a {@link dev.freestone.runtime.local.RunOutcome}; along the way, a
 * {@link dev.freestone.runtime.local.TaskRecord} snapshot to the recorder at every change and
 * {@link dev.freestone.runtime.local.ProgressListener} events.
 *
 * <p><b>What holds:</b>
 * <ul>
 *   <li>A step is a process started from an argv list; only a script's interpreter runs a file. The
 *       image is recorded, not pulled; argv[0] must be on the PATH (checked before the run, with
 *       secrets and parameters: a {@code REJECTED} outcome runs and records nothing). A secret read
 *       from a file other users can read is a note ({@code LocalEngine.notes}), not a rejection.</li>
 *   <li>Parameter text forms, output parsing and the artifact encoding are in
 *       {@link dev.freestone.runtime.local.Values}; expression semantics in {@code Evaluator}.</li>
 *   <li>Step output goes to a log file by the OS (never through the engine's memory).</li>
 *   <li>Each step leads its own session and process group, started by a {@code Launcher} helper
 *       (Python, else Perl) or else by the JVM under {@code setsid} ({@code ProcessTree}); what a step
 *       leaves in its group is killed when it ends, a timeout or cancel kills the whole group.</li>
 *   <li>At most {@code parallelism} steps run at once ({@code ProcessTree.Slots}): the launcher queues
 *       the steps handed over ahead and starts one as it reaps one; a cancel withdraws the waiting
 *       ones before it kills the running ones. A step is Running, and its attempt's time and timeout
 *       start, when its process exists.</li>
 *   <li>{@link dev.freestone.runtime.local.StoreRecorder} group-commits in arrival order, every 5 ms;
 *       its cache lookups see its own uncommitted successes without waiting for the commit.
 *       A launcher's steps die with the engine (the launcher stops them when its input ends); a step
 *       the JVM started outlives a killed engine, so its pid is committed before the engine waits on
 *       it, and a resume finds and stops it.</li>
 *   <li>A task's dependents run only when it succeeded, was cached or was skipped; otherwise they
 *       are Omitted (recorded and shown Skipped, with {@code skipped: `a` failed}: users read the run store's
 *       states, {@link dev.freestone.runtime.local.TaskState#recorded}); independent branches go on and the run
 *       fails (Argo's DAG, without fail-fast).</li>
 *   <li>Loop outputs are in iteration order; a branch not taken records its tasks Skipped and its
 *       exports null; the exit handler always runs and reads {@code run.status}.</li>
 *   <li>Every task ends in a terminal state before the recorder hears {@code runFinished}, also after
 *       a cancel; secret values are never recorded: a message that quotes a step's log or output has
 *       the step's secrets masked ({@code Secrets.mask}).</li>
 *   <li>Outputs are read only from what a step wrote in its {@code out/} folder: a symbolic link there,
 *       or an {@code out/} replaced, is an error of the step, never followed. Outputs are kept only from a
 *       step that ended on its own with code 0: one stopped by a cancel is Cancelled whatever its code.</li>
 *   <li>Inputs are hard links to their stored objects, whose modes the engine never changes; a step
 *       that wrote one (root ignores the modes) is an error, and the altered object leaves the store.</li>
 *   <li>A component that creates a Kubernetes resource runs its {@code local} command or script;
 *       one with no local way, or whose {@code requires} are not on the PATH, is refused before the run,
 *       or (with {@code skipClusterSteps}) ends Skipped, as do the steps that read its outputs
 *       ({@code ClusterSteps}).</li>
 * </ul>
 */
package dev.freestone.runtime.local;
