package dev.freestone.runtime.local;

import static dev.freestone.runtime.local.IrFixture.component;
import static dev.freestone.runtime.local.IrFixture.dag;
import static dev.freestone.runtime.local.IrFixture.inputs;
import static dev.freestone.runtime.local.IrFixture.program;
import static dev.freestone.runtime.local.IrFixture.task;

import dev.freestone.ir.Ir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Run in a child JVM with a small heap by {@link LocalEngineTest}: one step writes {@code args[1]}
 * bytes to stdout. Prints the run status and the log's size; a heap that buffered the output would
 * die of OutOfMemoryError first.
 */
public final class HeapProbe {
    private HeapProbe() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        long bytes = Long.parseLong(args[1]);
        Ir.Component flood = component("flood").command("head", "-c", Long.toString(bytes), "/dev/zero").build();
        Ir.Program p = program(dag("flood", List.of(), List.of(task("flood", flood, inputs()))), flood);
        RunOutcome o = new LocalEngine(EngineOptions.defaults().withHome(home).withParallelism(1), new MemoryRecorder())
                .run(p, Map.of());
        Path log = o.task("flood").attempts().get(0).log();
        System.out.println(o.status() + " " + Files.size(log) + " " + Runtime.getRuntime().maxMemory());
        Files.delete(log);
    }
}
