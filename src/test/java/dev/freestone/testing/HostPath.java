package dev.freestone.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** The programs of this machine's PATH, for tests that run a tool (python3) or that need it to be missing. */
public final class HostPath {
    private HostPath() {
    }

    /** Whether an executable {@code program} is in a folder of the PATH. */
    public static boolean has(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}
