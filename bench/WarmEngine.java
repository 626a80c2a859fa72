import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a resident engine (a JVM kept warm between commands) would gain: runs {@code freestone run}
 * in-process ROUNDS times, each on a fresh store, and prints each round's wall time. The first
 * rounds pay class loading and compilation; the last ones are what a warm engine costs. PARALLELISM
 * is the run's {@code --parallelism} (default 2, the default on a 2-core machine).
 *
 * <p>The stores are removed after the last round, not between rounds: on ext4, removing a round's
 * thousands of folders just before the next round creates as many made that round's folder creation
 * scan past the recently freed inodes, and rounds took 1.2-1.5 s instead of 0.8 s.
 *
 * <pre>java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp target/freestone.jar bench/WarmEngine.java fanout.pipe 8 [PARALLELISM]</pre>
 */
public final class WarmEngine {
    public static void main(String[] args) throws Exception {
        String pipe = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        String parallelism = args.length > 2 ? args[2] : "2";
        PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());
        java.util.List<Path> homes = new java.util.ArrayList<>();
        for (int i = 1; i <= rounds; i++) {
            Path home = Files.createTempDirectory("freestone-warm");
            homes.add(home);
            System.setProperty("freestone.home", home.toString());
            long t = System.nanoTime();
            int rc = dev.freestone.cli.Main.run(new String[] {"run", pipe, "--no-cache", "--progress", "none",
                    "--parallelism", parallelism}, quiet, quiet);
            System.out.printf("round %d: exit %d, %.2f s%n", i, rc, (System.nanoTime() - t) / 1e9);
        }
        for (Path home : homes) {
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
