import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * "Go to Symbol in Workspace" over a workspace at the server's bound (2,000 {@code .pipe} files): the first request
 * reads and parses every file, later ones reuse the parses while the files are unchanged. WorkspaceFiles is the
 * server's own code (package-private, reached by reflection); the files are copies of the examples in subfolders.
 *
 * <pre>
 * java -cp target/freestone.jar bench/LspWorkspaceSymbols.java examples 2000
 * </pre>
 */
public class LspWorkspaceSymbols {
    public static void main(String[] args) throws Exception {
        List<Path> examples;
        try (var files = Files.walk(Path.of(args[0]))) {
            examples = files.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
        int count = Integer.parseInt(args[1]);
        Path workspace = Files.createTempDirectory("fs-symbols");
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            Path folder = Files.createDirectories(workspace.resolve("team" + i / 100));
            Path from = examples.get(i % examples.size());
            bytes += Files.size(Files.copy(from, folder.resolve(i + "-" + from.getFileName())));
        }
        Class<?> type = Class.forName("dev.freestone.lsp.WorkspaceFiles");
        Constructor<?> make = type.getDeclaredConstructor(List.class, int.class);
        make.setAccessible(true);
        Method declarations = type.getDeclaredMethod("declarations", Set.class);
        declarations.setAccessible(true);
        Method files = declarations.getReturnType().getDeclaredMethod("files");
        files.setAccessible(true);

        Object server = make.newInstance(List.of(workspace), 2_000);
        long start = System.nanoTime();
        Map<?, ?> found = (Map<?, ?>) files.invoke(declarations.invoke(server, Set.of()));
        long first = System.nanoTime() - start;
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long s = System.nanoTime();
            declarations.invoke(server, Set.of());
            best = Math.min(best, System.nanoTime() - s);
        }
        long symbols = found.values().stream().mapToLong(l -> ((List<?>) l).size()).sum();
        System.out.printf("%d files (%d KB), %d declarations: first request %.0f ms, later best %.1f ms%n",
                found.size(), bytes / 1024, symbols, first / 1e6, best / 1e6);
        try (var walk = Files.walk(workspace)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
