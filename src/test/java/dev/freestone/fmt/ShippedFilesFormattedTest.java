package dev.freestone.fmt;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.diag.Source;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What we ship (examples/ and stdlib/) is in the one canonical layout: `freestone fmt --check` passes on it. */
class ShippedFilesFormattedTest {
    @Test
    void examplesAndStdlibAreFormatted() throws IOException {
        List<String> unformatted = new ArrayList<>();
        for (String dir : List.of("examples", "stdlib")) {
            try (Stream<Path> files = Files.walk(SharedData.projectDir().resolve(dir))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".pipe")).sorted().toList()) {
                    Formatter.Result r = Formatter.formatSource(new Source(f.toString(), Files.readString(f, StandardCharsets.UTF_8)));
                    if (!r.ok() || r.changed()) {
                        unformatted.add(SharedData.projectDir().relativize(f).toString());
                    }
                }
            }
        }
        assertEquals(List.of(), unformatted, "run `bin/freestone fmt` on these files");
    }
}
