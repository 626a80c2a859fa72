package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.testing.CliRun;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A pipeline run once, to success, in a store of its own under {@code dir}, whose logs a test then reads. */
record LoggedRun(Map<String, String> env, String runId) {
    /** Writes {@code text} to {@code dir/file} and runs it with {@code freestone run}. */
    static LoggedRun of(Path dir, String file, String text) throws IOException {
        Map<String, String> env = Map.of("FREESTONE_HOME", dir.resolve("home").toString());
        Path pipe = Files.writeString(dir.resolve(file), text);
        CliRun ran = CliRun.of(env, "run", "--progress", "none", pipe.toString());
        assertEquals(0, ran.code(), ran.out() + ran.err());
        return new LoggedRun(env, ran.runId());
    }

    /** {@code freestone logs RUN ARGS...} of this run. */
    CliRun logs(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = runId;
        System.arraycopy(args, 0, all, 1, args.length);
        return CliRun.command(env, "logs", all);
    }
}
