package dev.freestone.cli;

import dev.freestone.lsp.FreestoneLanguageServer;
import dev.freestone.lsp.ServerOptions;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "lsp", mixinStandardHelpOptions = true,
        description = {"Run the language server for editors (Language Server Protocol over stdin and stdout).",
            "Editors start it; the Freestone VS Code extension runs `freestone lsp` or `java -jar freestone.jar lsp`.",
            "Exit status: 0 after the client's shutdown and exit, 1 when the client went away without shutdown."})
final class LspCommand implements Callable<Integer> {
    @Option(names = "--debounce", defaultValue = "150", paramLabel = "MS",
            description = "Coalesce edits that come faster than this many milliseconds into one check (default ${DEFAULT-VALUE}).")
    long debounceMillis;

    @Override
    public Integer call() {
        if (debounceMillis < 0) {
            throw new UserError("--debounce must be 0 or more milliseconds", "e.g. --debounce 150", Main.USAGE);
        }
        // stdout carries the protocol: anything else printed there would corrupt it
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false);
        System.setOut(System.err);
        return FreestoneLanguageServer.serve(new FileInputStream(FileDescriptor.in), protocol,
                new ServerOptions(Duration.ofMillis(debounceMillis)));
    }
}
