package dev.freestone.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Source;
import dev.freestone.syntax.Ast;
import dev.freestone.syntax.Parser;
import dev.freestone.testing.Golden;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/stdlib.md's tables give each module's components with their inputs and outputs as written
 * ({@code `name: Type = default`}); a user calls them from those tables, so they must be the modules'
 * own signatures: every component and pipeline has a row, and a row lists exactly its inputs and
 * outputs (a row that says "as `other`, plus ..." lists only what it adds, each checked).
 */
class StdlibDocTest {
    private static final Pattern SECTION = Pattern.compile("^## (\\w+)$");
    private static final Pattern ROW = Pattern.compile("^\\| `(\\w+)`(?: \\(pipeline\\))? \\| (.*) \\| (.*) \\|$");
    private static final Pattern TYPED = Pattern.compile("`(\\w+: [^`]+)`");

    /** What a declaration's signature says: its inputs and its outputs, each as written in the module. */
    private record Signature(List<String> inputs, List<String> outputs) {
    }

    private static Map<String, Signature> signatures(Path module) throws IOException {
        Ast.File file = Parser.parse(new Source(module.getFileName().toString(), Golden.read(module))).file();
        Map<String, Signature> out = new LinkedHashMap<>();
        for (Ast.Decl d : file.decls()) {
            if (d instanceof Ast.ComponentDecl c) {
                out.put(c.name().name(), signature(c.params(), c.outputs()));
            } else if (d instanceof Ast.PipelineDecl p) {
                out.put(p.name().name(), signature(p.params(), p.outputs()));
            }
        }
        return out;
    }

    private static Signature signature(List<Ast.Param> params, List<Ast.Field> outputs) {
        return new Signature(params.stream().map(p -> p.span().text().strip()).toList(),
                outputs.stream().map(f -> f.span().text().strip()).toList());
    }

    private static List<String> typed(String cell) {
        List<String> out = new ArrayList<>();
        Matcher m = TYPED.matcher(cell);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    @Test
    void theTablesGiveEveryComponentWithItsSignature() throws IOException {
        Path root = Golden.projectDir();
        List<String> wrong = new ArrayList<>();
        Map<String, Map<String, String[]>> rows = new LinkedHashMap<>();
        String section = null;
        for (String line : Golden.read(root.resolve("docs/stdlib.md")).split("\n")) {
            Matcher s = SECTION.matcher(line);
            Matcher r = ROW.matcher(line);
            if (s.matches()) {
                section = s.group(1);
            } else if (section != null && r.matches() && !r.group(2).equals("inputs")) {
                rows.computeIfAbsent(section, k -> new LinkedHashMap<>()).put(r.group(1), new String[] {r.group(2), r.group(3)});
            }
        }
        List<Path> modules;
        try (Stream<Path> files = Files.list(root.resolve("stdlib"))) {
            modules = files.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
        assertEquals(new TreeSet<>(modules.stream().map(p -> p.getFileName().toString().replace(".pipe", "")).toList()),
                new TreeSet<>(rows.keySet()), "docs/stdlib.md has a section with a table per module of stdlib/");
        for (Path module : modules) {
            String name = module.getFileName().toString().replace(".pipe", "");
            Map<String, Signature> declared = signatures(module);
            Map<String, String[]> documented = rows.get(name);
            assertEquals(new TreeSet<>(declared.keySet()), new TreeSet<>(documented.keySet()),
                    "the components and pipelines of stdlib/" + name + " and the rows of its table");
            for (Map.Entry<String, Signature> e : declared.entrySet()) {
                String[] row = documented.get(e.getKey());
                String where = name + "." + e.getKey();
                List<String> inputs = typed(row[0]);
                if (row[0].startsWith("as `")) {
                    inputs.stream().filter(i -> !e.getValue().inputs().contains(i))
                            .forEach(i -> wrong.add(where + ": no input `" + i + "`, its inputs are " + e.getValue().inputs()));
                } else if (!inputs.equals(e.getValue().inputs())) {
                    wrong.add(where + ": the doc's inputs " + inputs + ", the module's " + e.getValue().inputs());
                }
                if (!typed(row[1]).equals(e.getValue().outputs())) {
                    wrong.add(where + ": the doc's outputs " + typed(row[1]) + ", the module's " + e.getValue().outputs());
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /** An import of the standard library shown in the README or docs/ names a module it has (language.md once imported `stdlib/kserve`). */
    @Test
    void everyStdlibImportInTheDocsNamesAModule() throws IOException {
        Path root = Golden.projectDir();
        List<Path> docs = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> files = Files.list(root.resolve("docs"))) {
            files.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
        }
        Pattern stdlibImport = Pattern.compile("import stdlib/(\\w+)");
        List<String> wrong = new ArrayList<>();
        int seen = 0;
        for (Path doc : docs) {
            Matcher m = stdlibImport.matcher(Golden.read(doc));
            while (m.find()) {
                seen++;
                if (!Files.exists(root.resolve("stdlib/" + m.group(1) + ".pipe"))) {
                    wrong.add(doc.getFileName() + " imports stdlib/" + m.group(1) + ", which is no module of stdlib/");
                }
            }
        }
        assertTrue(seen > 0, "no `import stdlib/...` found in the docs");
        assertEquals(List.of(), wrong);
    }
}
