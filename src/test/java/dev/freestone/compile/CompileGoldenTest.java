package dev.freestone.compile;

import dev.freestone.lower.argo.ArgoLowering;
import dev.freestone.lower.argo.Lowered;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.LoweredValidity;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Source;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrBuilder;
import dev.freestone.ir.IrJson;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole compiler, as {@code freestone compile} runs it (Checker, IrBuilder, ArgoLowering), on every
 * example and on one {@code .pipe} per construct under {@code golden/compile}: the pretty IR
 * ({@code <case>.ir.json}) and the YAML ({@code <case>.yaml}) are golden files, and every manifest passes
 * Argo's schema and ArgoLint. Examples' goldens live under {@code golden/compile/examples}.
 * {@code -Dfreestone.regenerate=true} rewrites the expected files.
 */
public class CompileGoldenTest {

    public static Stream<String> cases() {
        List<String> out = new ArrayList<>();
        Golden.inputs("compile", ".pipe").forEach(p -> out.add(relative(p)));
        try (Stream<Path> dirs = Files.list(Golden.projectDir().resolve("examples"))) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                try (Stream<Path> files = Files.list(d)) {
                    files.filter(f -> f.toString().endsWith(".pipe")).sorted().forEach(f -> out.add(relative(f)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.stream();
    }

    private static String relative(Path p) {
        return Golden.projectDir().relativize(p).toString().replace('\\', '/');
    }

    /** Where a source's expected files go: beside a case, under {@code examples/} for an example. */
    private static Path expected(String source, String suffix) {
        String name = Path.of(source).getFileName().toString().replaceFirst("\\.pipe$", "");
        Path dir = source.startsWith("examples/") ? Golden.dir("compile").resolve("examples") : Golden.dir("compile");
        return dir.resolve(name + suffix);
    }

    /** Checks, builds the IR of the root pipeline and lowers it with the options the CLI uses by default. */
    public static Compiled compile(String source) {
        return compile(Golden.projectDir().resolve(source), source);
    }

    /** {@code file} read, shown in diagnostics and recorded in the IR as {@code source}. */
    public static Compiled compile(Path file, String source) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        CheckResult check = Checker.check(new Source(source, text), new ModuleLoader(), new CheckOptions(Set.of(), false, null));
        assertFalse(check.hasErrors(), () -> source + ": " + check.diagnostics());
        Ir.Program ir = IrBuilder.build(check.program(), rootPipeline(check));
        String hash = IrJson.sha256(ir);
        Lowered lowered = ArgoLowering.lower(ir, LowerOptions.defaults().withIrHash(hash).withSourceFile(ir.sourceFile()));
        return new Compiled(ir, lowered);
    }

    public record Compiled(Ir.Program ir, Lowered lowered) {
    }

    /** The pipeline no other pipeline of the file calls (the CLI's choice when the file has several). */
    static Symbol.Pipeline rootPipeline(CheckResult check) {
        List<Symbol.Pipeline> all = check.program().pipelines();
        Set<Symbol.Pipeline> called = new HashSet<>();
        for (Symbol.Pipeline p : all) {
            for (Symbol.Step s : check.program().steps(p)) {
                if (s.callee() instanceof Symbol.Pipeline q) {
                    called.add(q);
                }
            }
        }
        List<Symbol.Pipeline> roots = all.stream().filter(p -> !called.contains(p)).toList();
        assertEquals(1, roots.size(), "one root pipeline");
        return roots.get(0);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void irAndYamlMatchGolden(String source) throws IOException {
        Compiled c = compile(source);
        assertEquals(List.of(), c.lowered().diagnostics().stream().map(Diagnostic::toString).toList(), source);
        Files.createDirectories(expected(source, ".yaml").getParent());
        Golden.check(expected(source, ".ir.json"), IrJson.pretty(c.ir()));
        Golden.check(expected(source, ".yaml"), c.lowered().yaml());
        Ir.Program read = IrJson.read(IrJson.pretty(c.ir()));
        assertEquals(IrJson.sha256(c.ir()), IrJson.sha256(read), "the IR reads back to itself");
    }

    @ParameterizedTest
    @MethodSource("cases")
    void passesArgoSchemaAndLint(String source) {
        Compiled c = compile(source);
        assertNotNull(c.lowered().yaml());
        assertEquals(List.of(), LoweredValidity.problems(c.lowered()), source);
    }
}
