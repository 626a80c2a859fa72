import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.diag.Source;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrBuilder;
import dev.freestone.ir.IrJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The cold cost of the IR in a fresh JVM, as {@code freestone run} and {@code compile} pay it: checks a
 * pipeline (untimed), then times {@code IrBuilder.build} (which computes each component's digest) and
 * {@code IrJson.sha256} (the pipeline version). Compile it once, then run it in fresh JVMs:
 *
 * <pre>javac -cp target/freestone.jar -d /tmp/ircold bench/IrColdStart.java
 * java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp target/freestone.jar:/tmp/ircold IrColdStart bench/one_step.pipe</pre>
 */
public final class IrColdStart {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        CheckResult check = Checker.check(new Source(file.toString(), Files.readString(file)), new ModuleLoader(),
                new CheckOptions(Set.of(), false, null));
        if (check.hasErrors()) {
            throw new IllegalStateException(check.diagnostics().toString());
        }
        long t0 = System.nanoTime();
        Ir.Program ir = IrBuilder.build(check.program(), check.program().pipelines().get(0));
        long t1 = System.nanoTime();
        String hash = IrJson.sha256(ir);
        long t2 = System.nanoTime();
        System.out.printf("build %.1f ms, sha256 %.1f ms, together %.1f ms (%s)%n", (t1 - t0) / 1e6, (t2 - t1) / 1e6,
                (t2 - t0) / 1e6, hash.substring(0, 12));
    }
}
