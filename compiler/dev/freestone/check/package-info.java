/**
 * The checker: names, types, settings, ordering and lints of {@code .pipe} programs.
 *
 * <h2>In, out</h2>
 * In: a root {@link dev.freestone.diag.Source} and a {@link dev.freestone.check.ModuleLoader} (files
 * on disk, {@code stdlib/*.pipe} from the classpath, in-memory overrides for unsaved editor buffers;
 * a {@link dev.freestone.check.ParseCache} shared by successive loaders keeps the imports' parses).
 * Out: {@link dev.freestone.check.Checker#check} returns a {@link dev.freestone.check.CheckResult}:
 * the {@link dev.freestone.check.Checked} program (per AST node: type, symbol, reference, step id,
 * exports of loops and conditions, dependencies, normalized {@link dev.freestone.check.ComponentSettings}
 * and call-site overrides, constants) and every diagnostic, sorted, with suppressions applied.
 * {@link dev.freestone.check.Checker#checkRunArguments} parses {@code --param} values by type.
 * {@link dev.freestone.check.ScriptVariables} tells where a component's script reads the variables of its inputs
 * and outputs ({@code $lr}, {@code os.environ["lr"]}), as {@code CodeSplices} reads shell code, for the editor.
 *
 * <h2>What holds</h2>
 * <ul>
 *   <li>All problems are reported, each once; a wrong part gets {@link dev.freestone.check.Type.Error},
 *       which is accepted everywhere, so mistakes do not cascade. No input the parser can produce
 *       makes the checker throw.</li>
 *   <li>A syntax error is one diagnostic: {@code SyntaxCascades} drops the parser's follow-on errors
 *       and the checker's diagnostics of the declaration that holds it (its tree is a guess); calls
 *       of a component or pipeline whose declaration holds one are not checked against its inputs.
 *       An argument mistake names the input it stands for, which is then not also reported missing;
 *       a name written {@code {name}} in a string (W0006) is not also reported unused.</li>
 *   <li>Every pass is linear in the program (times the nesting depth): maps, not list scans;
 *       Tarjan's components, iterative; statements are typed in dependency order, so no recursion
 *       follows chains of steps or values.</li>
 *   <li>The subtyping rules live in {@link dev.freestone.check.Type} and nowhere else; which tests of an
 *       {@code if} make a {@code T?} a {@code T} in its blocks, in {@link dev.freestone.check.Narrowing}.</li>
 *   <li>A component's {@code resource { ... }} is validated in {@code ResourceSettings}: the manifest is
 *       parsed YAML whose {@code ${input}} placeholders name parameter inputs, the conditions are Argo's
 *       syntax ({@link dev.freestone.check.ArgoCondition}), and every output has a query.</li>
 * </ul>
 *
 * <h2>Decisions where the language reference is silent</h2>
 * <ul>
 *   <li>A pipeline body is one namespace: a binding is visible in the whole body, across branches,
 *       and leaving a {@code for} makes it {@code List[T]}, leaving an {@code if} makes it {@code T?}.
 *       Loop variables are lexical. A binding that reuses a parameter's name hides it (W0004); so does
 *       a loop variable that reuses any outer name. Reading a value of another branch of the same
 *       {@code if} is E0416.</li>
 *   <li>Steps are the only nodes; values are inlined, so {@link dev.freestone.check.Checked#dependenciesOf}
 *       sees through them. Dependencies from inside a {@code for}/{@code if} count for the statement
 *       of the outer block that contains them; a loop's list or a condition that reads a value made
 *       inside its own statement is a dependency cycle (E0301).</li>
 *   <li>A component or pipeline call must be a whole statement (E0217 when nested in an expression).
 *       An unnamed step's id is the callee's name made unique ({@code notify}, {@code notify-2});
 *       {@code for-<var>} and {@code if} ids are made unique the same way.</li>
 *   <li>{@code oneof} arguments must each leave the same {@code if} (the outermost statement they cross)
 *       from a different branch (E0406). Interpolating a value that may be missing because its branch
 *       did not run is E0402, as in any other place that needs a value.</li>
 *   <li>Settings are constants; only a component's {@code command}, {@code args} and {@code env} name its
 *       inputs (inside {@code ${...}} only a bare name). A call site's {@code env} takes constant
 *       strings and secrets. {@code retry = 3} is short for {@code retry { limit = 3 }}; blocks may also
 *       be written as map literals ({@code resources = {cpu: 1}}). Timeouts round up to whole
 *       seconds. {@code args} with a {@code script} is E0502.</li>
 *   <li>Unused-step (W0001) is not reported for a named step whose callee has no outputs (naming it
 *       is how one gives it an id), nor for one whose outputs are all reports ({@code Metrics},
 *       {@code ClassificationMetrics}, {@code HTML}, {@code Markdown}): people read them, not steps.
 *       Warnings about the standard library are never shown.</li>
 *   <li>A struct cannot contain itself, even through an optional field (E0216): struct types are
 *       finite records, and JSON values of them are built eagerly.</li>
 *   <li>Imports: a quoted path is relative to the importing file and may leave the root's directory
 *       (with {@code ..} or an absolute path) but not its {@link dev.freestone.check.Workspace} (the git
 *       checkout holding the root file, else its folder; links followed): a file from elsewhere must not
 *       have the checker read, and quote in its errors, other files of the machine. An unquoted path
 *       must name a standard module ({@code stdlib/<name>}). Failed imports are not also reported as
 *       unused.</li>
 *   <li>A {@code secret(name, key)} has Kubernetes names: a DNS-1123 subdomain and a data key (E0501).</li>
 *   <li>An input value that can hold code (text, maps, lists and structs holding text) never goes into the code argument of
 *       {@code sh -c}, {@code python3 -c}, {@code perl -e}, {@code awk}, {@code pwsh -Command}, {@code ssh HOST}, the SQL
 *       of {@code psql -c} and the like, through wrappers ({@code sudo -u USER}, {@code conda run -n ENV},
 *       {@code kubectl exec POD --}) and through a variable of {@code env} that shell code runs again
 *       ({@code eval "$CMD"}) (E0510, {@code CodeSplices}): it would run as code.</li>
 *   <li>A suppression comment covers its own line, and the next line when it stands alone on its line.</li>
 * </ul>
 */
package dev.freestone.check;
