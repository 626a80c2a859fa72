package dev.freestone.cli;

import dev.freestone.check.CheckOptions;
import dev.freestone.ir.IrGraph;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "graph", mixinStandardHelpOptions = true,
        description = "Print a pipeline's DAG as Graphviz DOT or Mermaid (render with `dot -Tsvg` or any Mermaid viewer).")
final class GraphCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "The .pipe file.")
    Path file;

    @Option(names = "--format", defaultValue = "dot", description = "dot or mermaid. Default: ${DEFAULT-VALUE}.")
    IrGraph.Format format;

    @Option(names = "--pipeline", description = "Which pipeline, when the file has several.")
    String pipeline;

    @Option(names = "--color", defaultValue = "auto", description = "auto (when standard error is a terminal"
            + " and NO_COLOR is unset), always or never (for diagnostics).")
    FrontEnd.Color color;

    @Override
    public Integer call() {
        // the DAG is the same whatever the parameters' values: a parameter without a default needs none here
        FrontEnd.Compiled c = FrontEnd.compile(file, new CheckOptions(Set.of(), false, pipeline), pipeline, FrontEnd.RawParams.NONE,
                true);
        if (c.ir() == null) {
            FrontEnd.report(c.diagnostics(), Cli.Format.text, spec.commandLine().getOut(), spec.commandLine().getErr(), color);
            return Main.FAILED;
        }
        spec.commandLine().getOut().print(IrGraph.render(c.ir(), format));
        spec.commandLine().getOut().flush();
        return Main.OK;
    }

}
