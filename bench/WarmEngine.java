import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a resident engine (a JVM kept warm between commands) would gain: runs {@code freestone run}
 * in-process ROUNDS times, each on a fresh store, and prints each round's wall time. The first
 * rounds pay class loading and compilation; the last ones are what a warm engine costs.
 *
 * <pre>java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp target/freestone.jar bench/WarmEngine.java fanout.pipe 8</pre>
 */
public final class WarmEngine {
    public static void main(String[] args) throws Exception {
        String pipe = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        for (int i = 1; i <= rounds; i++) {
            Path home = Files.createTempDirectory("freestone-warm");
            System.setProperty("freestone.home", home.toString());
            long t = System.nanoTime();
            int rc = dev.freestone.cli.Main.run(new String[] {"run", pipe, "--no-cache", "--progress", "none",
                    "--parallelism", "2"}, quiet, quiet);
            System.out.printf("round %d: exit %d, %.2f s%n", i, rc, (System.nanoTime() - t) / 1e9);
            delete(home);
        }
        System.exit(0);
    }

    /** Removes a store (its artifacts are read-only). */
    private static void delete(Path home) throws Exception {
        try (var walk = Files.walk(home)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                p.toFile().setWritable(true);
                if (p.getParent() != null) {
                    p.getParent().toFile().setWritable(true);
                }
                Files.deleteIfExists(p);
            }
        }
    }
}
