import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.Parser;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The language server's folding ranges of one file, warm: what an editor asks after every edit. Folds.of is the
 * server's own code (package-private, reached by reflection); the file is parsed once, as the server keeps it.
 *
 * <pre>
 * java bench/GenPipeline.java 1680 > /tmp/lsp2k.pipe     # 2,007 lines, as bench/LspLatency.java edits
 * java -cp target/freestone.jar bench/LspFolds.java /tmp/lsp2k.pipe
 * </pre>
 */
public class LspFolds {
    public static void main(String[] args) throws Exception {
        String text = Files.readString(Path.of(args[0]));
        Ast.File file = Parser.parse(new Source(args[0], text)).file();
        Method of = Class.forName("dev.freestone.lsp.Folds").getDeclaredMethod("of", Ast.File.class);
        of.setAccessible(true);
        for (int i = 0; i < 200; i++) {
            of.invoke(null, file);
        }
        long best = Long.MAX_VALUE;
        int folds = 0;
        long start = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            long s = System.nanoTime();
            folds = ((List<?>) of.invoke(null, file)).size();
            best = Math.min(best, System.nanoTime() - s);
        }
        System.out.printf("%d lines, %d folds: best %.2f ms, mean %.2f ms%n", text.split("\n", -1).length - 1, folds,
                best / 1e6, (System.nanoTime() - start) / 1e8);
    }
}
