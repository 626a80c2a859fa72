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
    private static final List<String> ALL_ARE_RUNS = List.of("metrics", "diff", "delete");

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
            out = replaceIn(out, command, "local positionals=\"\"", "local positionals=$(_freestone_run_ids first)");
        }
        for (String command : ALL_ARE_RUNS) {
            out = replaceIn(out, command, "local positionals=\"\"", "local positionals=$(_freestone_run_ids all)");
        }
        out = replaceIn(out, "graph", "    '--run')\n      return\n",
                "    '--run')\n      COMPREPLY=( $(compgen -W \"$(_freestone_run_ids)\" -- \"${curr_word}\") )\n      return\n");
        return out + RUN_IDS;
    }

    /** {@code script} with the first {@code text} of {@code command}'s completion function replaced by {@code with}. */
    private static String replaceIn(String script, String command, String text, String with) {
        int at = script.indexOf("function _picocli_freestone_" + command + "() {");
        int p = at < 0 ? -1 : script.indexOf(text, at);
        if (p < 0) {
            throw new IllegalStateException("picocli's completion script has no `" + text.strip() + "` for `" + command + "`");
        }
        return script.substring(0, p) + with + script.substring(p + text.length());
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
