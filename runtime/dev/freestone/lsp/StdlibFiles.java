package dev.freestone.lsp;

import dev.freestone.ir.IrJson;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * Where the editor opens a module of the standard library. Run from a checkout the module is a file
 * already; run from the jar (as the extension runs the server) it is a jar entry, which an editor cannot
 * open, so its text is copied once into {@code stdlib-sources/<digest of the text>/<name>.pipe} under the
 * Freestone home, read-only: the copy is what the checker read, and an edit to it would change nothing.
 * The folder is named by the text's digest, so a newer Freestone's module never meets an older copy.
 */
final class StdlibFiles {
    static final String FOLDER = "stdlib-sources";

    private StdlibFiles() {
    }

    /**
     * The URI of the module {@code key} ({@code stdlib/tuning}) whose text is {@code text} and whose resource
     * is {@code resource}; null when there is no resource or the copy cannot be written (then there is
     * nowhere to go).
     */
    static String uri(String key, String text, URL resource, Supplier<Path> home) {
        if (resource == null) {
            return null;
        }
        if ("file".equals(resource.getProtocol())) {
            return resource.toString();
        }
        try {
            String name = key.substring(key.lastIndexOf('/') + 1) + ".pipe";
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            Path copy = home.get().resolve(FOLDER).resolve(IrJson.sha256Hex(bytes).substring(0, 16)).resolve(name);
            if (!Files.isRegularFile(copy)) {
                Files.createDirectories(copy.getParent());
                // written aside and moved: another server starting at the same time never sees half a file
                Path partial = Files.createTempFile(copy.getParent(), name, ".partial");
                Files.write(partial, bytes);
                partial.toFile().setReadOnly();
                try {
                    Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return copy.toUri().toString();
        } catch (IOException | RuntimeException e) {
            // an unwritable home: no definition to open, nothing worse
            return null;
        }
    }
}
