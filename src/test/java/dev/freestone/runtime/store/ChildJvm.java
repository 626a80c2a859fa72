package dev.freestone.runtime.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Starts {@link StoreWriter} in a separate JVM on the test class path. */
final class ChildJvm {
    private ChildJvm() {
    }

    /** Starts the child; its stderr goes to {@code stderr} (surefire's own channel must not see it). */
    static Process start(Path home, Path stderr, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"),
                StoreWriter.class.getName(), home.toString()));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectError(stderr.toFile()).start();
    }
}
