package dev.freestone.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script of freestone: its commands, their options, the values an"
                + " option takes (--format dot|mermaid|svg), file names and the ids of local runs, completed by Tab.",
                "Load it in each new shell with `source <(freestone completion bash)` in ~/.bashrc, or"
                        + " `source <(freestone completion zsh)` in ~/.zshrc (zsh runs it through its bash completion,"
                        + " which the script loads), as `kubectl completion` does."})
final class CompletionCommand implements Callable<Integer> {
    /** The shells the script serves: one script, which loads zsh's bash completion when zsh runs it. */
    enum Shell { bash, zsh }

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "SHELL", description = "bash or zsh.")
    Shell shell;

    /** The commands whose first argument is a local run, and those all of whose arguments are. */
    private static final List<String> FIRST_IS_RUN = List.of("show", "logs", "artifacts", "cp", "resume", "lineage");
    private static final List<String> ALL_ARE_RUNS = List.of("metrics", "delete");

    /**
     * A bash function that prints the run ids Tab offers: {@code @latest} and the local runs, read from the names of
     * their folders under the store's {@code runs/} (a JVM per Tab would take a third of a second; Argo runs have no
     * folder and are not offered). With {@code first}, none once a run is given (`logs RUN TASK`): the words before the
     * one completed are counted, an option's own value not among them.
     */
    private static final String RUN_IDS = """

            # Run ids for Tab: @latest and the local runs, by their folders in the store (no JVM is started)
            function _freestone_run_ids() {
              if [[ "$1" == first ]]; then
                local i w skip=0
                for (( i = 2; i < COMP_CWORD; i++ )); do
                  w=${COMP_WORDS[i]}
                  if (( skip )); then skip=0; continue; fi
                  if [[ "$w" == -* ]]; then
                    [[ "$w" != *=* && " ${arg_opts} " == *"'$w'"* ]] && skip=1
                    continue
                  fi
                  return
                done
              fi
              # ~ and not $HOME: where HOME is unset, bash's ~ is the passwd entry's folder, as Java's user.home is
              local home=~
              local runs="${FREESTONE_HOME:-$home/.freestone}/runs"
              printf '%s\n' @latest
              [[ -d "$runs" ]] && (cd "$runs" && compgen -G 'run-*')
            }
            """;

    /** {@code script} with run ids offered where a command takes a run (picocli's script offers nothing there). */
    static String withRunIds(String script) {
        String out = script;
        for (String command : FIRST_IS_RUN) {
            out = positionals(out, command, "first");
        }
        for (String command : ALL_ARE_RUNS) {
            out = positionals(out, command, "all");
        }
        String graph = "function _picocli_freestone_graph() {";
        int at = out.indexOf(graph);
        String noValue = "    '--run')\n      return\n";
        int run = at < 0 ? -1 : out.indexOf(noValue, at);
        if (run < 0) {
            throw new IllegalStateException("picocli's completion script has no `graph --run` case");
        }
        out = out.substring(0, run) + "    '--run')\n      COMPREPLY=( $(compgen -W \"$(_freestone_run_ids)\" -- \"${curr_word}\") )\n"
                + "      return\n" + out.substring(run + noValue.length());
        return out + RUN_IDS;
    }

    /** The script with {@code command}'s positional words offered from {@link #RUN_IDS}. */
    private static String positionals(String script, String command, String which) {
        int at = script.indexOf("function _picocli_freestone_" + command + "() {");
        String none = "local positionals=\"\"";
        int p = at < 0 ? -1 : script.indexOf(none, at);
        if (p < 0) {
            throw new IllegalStateException("picocli's completion script has no positionals for `" + command + "`");
        }
        return script.substring(0, p) + "local positionals=$(_freestone_run_ids " + which + ")"
                + script.substring(p + none.length());
    }

    @Override
    public Integer call() {
        // every command, whichever this command line registered
        CommandLine all = Main.commandLine();
        spec.commandLine().getOut().print(withRunIds(AutoComplete.bash("freestone", all)));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
