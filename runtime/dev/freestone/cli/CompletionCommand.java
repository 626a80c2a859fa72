package dev.freestone.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print the shell completion script of freestone: its commands, their options, the values an"
                + " option takes (--format dot|mermaid) and file names, completed by Tab.",
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

    @Override
    public Integer call() {
        // every command, whichever this command line registered
        CommandLine all = Main.commandLine();
        spec.commandLine().getOut().print(AutoComplete.bash("freestone", all));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }
}
