package dev.freestone.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.freestone.syntax.antlr.PipeLexer;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import dev.freestone.syntax.antlr.PipeParser;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/**
 * The editor grammar is generated, and the committed copy must be what the generator makes from the lexer as it
 * is now. The literal rules, which mirror the lexer by hand, are checked against {@link PipeLexer} on every unit and
 * on random inputs.
 */
class EditorGrammarTest {
    static final String REGENERATE = "mvn -B -q test -Dtest=EditorGrammarTest -Dfreestone.regenerate=true";

    private static final JsonNode GRAMMAR = parse(EditorGrammar.json());

    @Test
    void committedGrammarIsUpToDate() throws IOException {
        Path committed = SharedData.projectDir().resolve(EditorGrammar.COMMITTED_PATH);
        String generated = EditorGrammar.json();
        if (Boolean.getBoolean("freestone.regenerate")) {
            Files.createDirectories(committed.getParent());
            Files.writeString(committed, generated, StandardCharsets.UTF_8);
            return;
        }
        assertTrue(Files.exists(committed), committed + " is missing; generate it with `" + REGENERATE + "`");
        String onDisk = Files.readString(committed, StandardCharsets.UTF_8);
        if (!onDisk.equals(generated)) {
            fail(EditorGrammar.COMMITTED_PATH + " is stale: it differs from what EditorGrammar generates from the lexer now."
                    + " Regenerate it with `" + REGENERATE + "` and commit the result (first difference at line "
                    + firstDifferentLine(onDisk, generated) + ")");
        }
    }

    @Test
    void generationIsDeterministic() {
        assertEquals(EditorGrammar.json(), EditorGrammar.json());
        String json = EditorGrammar.json();
        assertTrue(json.endsWith("}\n") && !json.contains("\r") && !json.contains("\t"), "LF-only, 2-space JSON");
        assertTrue(json.startsWith("{\n  \"name\": "), json.substring(0, 40));
    }

    @Test
    void everyKeywordOfTheLexerIsHighlightedAsAWord() {
        List<String> keywords = EditorGrammar.keywords();
        assertTrue(keywords.containsAll(List.of("import", "component", "pipeline", "if", "for", "true", "and")),
                "the vocabulary yields keywords: " + keywords);
        for (String keyword : keywords) {
            List<String> scopes = scopesMatchingWhole(GRAMMAR.at("/repository/keywords/patterns"), keyword);
            assertEquals(1, scopes.size(), "keyword `" + keyword + "` must match exactly one keyword rule: " + scopes);
            assertTrue(scopes.get(0).matches("(keyword|storage|constant)\\..*\\.pipe"), scopes.get(0));
            assertTrue(scopesMatchingWhole(GRAMMAR.at("/repository/keywords/patterns"), keyword + "x").isEmpty(),
                    "`" + keyword + "x` is a name, not a keyword");
        }
    }

    @Test
    void everyKeywordHasAClass() {
        assertEquals(List.of(), EditorGrammar.unclassifiedKeywords(), "keywords of the lexer without a class in"
                + " EditorGrammar (CONTROL_KEYWORDS, DECLARATION_KEYWORDS, CONSTANT_KEYWORDS, WORD_OPERATORS)");
        List<String> classified = Stream.of(EditorGrammar.CONTROL_KEYWORDS, EditorGrammar.DECLARATION_KEYWORDS,
                EditorGrammar.CONSTANT_KEYWORDS, EditorGrammar.WORD_OPERATORS).flatMap(List::stream).toList();
        assertEquals(List.of(), classified.stream().filter(k -> !EditorGrammar.keywords().contains(k)).toList(),
                "classified keywords that the lexer no longer has");
        assertEquals(classified.size(), classified.stream().distinct().count(), "a keyword in two classes");
    }

    @Test
    void everyOperatorOfTheLexerHasItsOwnScope() {
        assertEquals(List.of(), EditorGrammar.unclassifiedOperators(), "operators without a scope in EditorGrammar");
        for (String op : EditorGrammar.operators()) {
            List<String> scopes = scopesMatchingWhole(GRAMMAR.at("/repository/operators/patterns"), op);
            assertEquals(1, scopes.size(), "operator `" + op + "` must match exactly one rule: " + scopes);
        }
        assertTrue(EditorGrammar.operators().containsAll(List.of("->", "==", "{", "}", "?")), EditorGrammar.operators()
                .toString());
    }

    @Test
    void builtinTypesAreHighlighted() {
        for (String type : EditorGrammar.BUILTIN_TYPES) {
            assertTrue(Pattern.compile(GRAMMAR.at("/repository/builtin-types/match").asText()).matcher(type).matches(),
                    type);
        }
    }

    /** Every unit of the lexer is in the lists, and every listed unit is one the lexer knows. */
    @Test
    void unitsAreTheLexers() {
        List<String> durations = new ArrayList<>();
        List<String> quantities = new ArrayList<>();
        String letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
        List<String> suffixes = new ArrayList<>();
        for (char a : letters.toCharArray()) {
            suffixes.add(String.valueOf(a));
            for (char b : letters.toCharArray()) {
                suffixes.add("" + a + b);
            }
        }
        for (String unit : suffixes) {
            List<Token> tokens = lex("7" + unit);
            if (tokens.size() == 1 && tokens.get(0).getType() == PipeLexer.DURATION) {
                durations.add(unit);
            } else if (tokens.size() == 1 && tokens.get(0).getType() == PipeLexer.QUANTITY) {
                quantities.add(unit);
            }
        }
        assertEquals(sorted(durations), sorted(EditorGrammar.DURATION_UNITS), "DURATION units of PipeLexer.g4");
        assertEquals(sorted(quantities), sorted(EditorGrammar.QUANTITY_UNITS), "QUANTITY units of PipeLexer.g4");
    }

    @Test
    void numbersAgreeWithTheLexerOnKnownCases() {
        for (String s : List.of("1_000", "1_", "1e5", "1E5", "1E", "1E+5", "1E+5x", "1e5x", "1.5ms", "1.5Mi", "1.5E",
                "1.5e+3x", "5min", "0.5", "1.", "1..2", "1.5.3", "007", "1__0", "2.5E6", "30s", "100ms")) {
            assertEquals(lexedNumbers(s), highlightedNumbers(s), s);
        }
    }

    @Property(tries = 3000)
    void numbersAgreeWithTheLexer(@ForAll("numberish") String s) {
        assertEquals(lexedNumbers(s), highlightedNumbers(s), s);
    }

    @Property(tries = 3000)
    void escapesAgreeWithTheLexer(@ForAll("stringBody") String body) {
        Assume.that(!body.contains("${"));
        String source = "\"" + body + "\"";
        assertEquals(lexedEscapes(source), highlightedEscapes(source), source);
    }

    @Test
    void everyDocumentedEscapeIsAnEscape() {
        String source = "\"\\n \\r \\t \\\" \\\\ \\$ \\0 \\u00e9 \\u{1F600} \\q \\u12\"";
        assertEquals(lexedEscapes(source), highlightedEscapes(source));
        assertEquals(9, lexedEscapes(source).stream().filter(e -> e.startsWith("ESC")).count());
    }

    @Provide
    Arbitrary<String> numberish() {
        Arbitrary<String> pieces = Arbitraries.of("0", "1", "7", "42", "_", ".", "e", "E", "+", "-", "m", "s", "ms",
                "h", "d", "M", "Mi", "i", "k", "K", "G", "x", " ", "a");
        return pieces.list().ofMinSize(1).ofMaxSize(8).map(l -> "1" + String.join("", l));
    }

    @Provide
    Arbitrary<String> stringBody() {
        Arbitrary<String> pieces = Arbitraries.of("\\", "n", "t", "r", "\"", "$", "0", "u", "{", "}", "1", "a", "F",
                "g", " ", "x");
        return pieces.list().ofMaxSize(12).map(l -> String.join("", l));
    }

    // --- the lexer's view ------------------------------------------------------------------------------------

    private static List<Token> lex(String text) {
        PipeLexer lexer = new PipeLexer(CharStreams.fromString(text));
        lexer.removeErrorListeners();
        return lexer.getAllTokens().stream().filter(t -> t.getChannel() == Token.DEFAULT_CHANNEL).map(t -> (Token) t)
                .toList();
    }

    /** Numeric tokens as {@code kind@start:text}. */
    private static List<String> lexedNumbers(String text) {
        List<String> out = new ArrayList<>();
        for (Token t : lex(text)) {
            String kind = switch (t.getType()) {
                case PipeLexer.FLOAT -> "float";
                case PipeLexer.DURATION -> "duration";
                case PipeLexer.QUANTITY -> "quantity";
                case PipeLexer.INT -> "integer";
                case PipeLexer.BAD_UNIT -> "unit";
                default -> null;
            };
            if (kind != null) {
                out.add(kind + "@" + t.getStartIndex() + ":" + t.getText());
            }
        }
        return out;
    }

    /** Escapes of the first string as {@code ESC|BAD@start:text}, up to where the lexer ends the string. */
    private static List<String> lexedEscapes(String source) {
        List<String> out = new ArrayList<>();
        for (Token t : lex(source)) {
            if (t.getType() == PipeLexer.STRING_END || t.getType() == PipeLexer.STRING_NEWLINE) {
                break;
            }
            if (t.getType() == PipeLexer.STRING_ESCAPE || t.getType() == PipeLexer.BAD_ESCAPE) {
                out.add((t.getType() == PipeLexer.STRING_ESCAPE ? "ESC" : "BAD") + "@" + t.getStartIndex() + ":"
                        + t.getText());
            }
        }
        return out;
    }

    // --- the grammar's view: TextMate's scan, leftmost match first and the earlier rule on a tie ---------------

    private static List<String> highlightedNumbers(String text) {
        List<String> out = new ArrayList<>();
        for (Hit hit : scan(text, 0, GRAMMAR.at("/repository/numbers/patterns"), null)) {
            String scope = hit.scope();
            String kind = scope.equals("invalid.illegal.unit.pipe") ? "unit"
                    : scope.replace("constant.numeric.", "").replace(".pipe", "");
            out.add(kind + "@" + hit.start() + ":" + hit.text());
        }
        return out;
    }

    private static List<String> highlightedEscapes(String source) {
        List<String> out = new ArrayList<>();
        String end = GRAMMAR.at("/repository/string/end").asText();
        for (Hit hit : scan(source, 1, GRAMMAR.at("/repository/string-escapes/patterns"), end)) {
            out.add((hit.scope().startsWith("constant.character.escape") ? "ESC" : "BAD") + "@" + hit.start() + ":"
                    + hit.text());
        }
        return out;
    }

    private record Hit(String scope, int start, String text) {
    }

    /**
     * Scans one line the way TextMate does with a flat list of match rules (and, like a begin/end region, an end
     * pattern tried before them that stops the scan).
     */
    private static List<Hit> scan(String line, int from, JsonNode rules, String endPattern) {
        List<Hit> hits = new ArrayList<>();
        int pos = from;
        while (pos <= line.length()) {
            int bestStart = Integer.MAX_VALUE;
            int bestEnd = -1;
            String bestScope = null;
            if (endPattern != null) {
                Matcher m = matcher(endPattern, line, pos);
                if (m.find()) {
                    bestStart = m.start();
                    bestEnd = m.end();
                    bestScope = "end";
                }
            }
            for (JsonNode rule : rules) {
                Matcher m = matcher(rule.get("match").asText(), line, pos);
                if (m.find() && m.start() < bestStart) {
                    bestStart = m.start();
                    bestEnd = m.end();
                    bestScope = rule.get("name").asText();
                }
            }
            if (bestScope == null || bestScope.equals("end")) {
                break;
            }
            hits.add(new Hit(bestScope, bestStart, line.substring(bestStart, bestEnd)));
            pos = Math.max(bestEnd, bestStart + 1);
        }
        return hits;
    }

    private static Matcher matcher(String regex, String line, int from) {
        // Transparent bounds: \b and lookbehind see the text before `from`, as in TextMate.
        return Pattern.compile(regex).matcher(line).region(from, line.length()).useTransparentBounds(true)
                .useAnchoringBounds(false);
    }

    private static List<String> scopesMatchingWhole(JsonNode rules, String text) {
        List<String> scopes = new ArrayList<>();
        for (JsonNode rule : rules) {
            if (Pattern.compile(rule.get("match").asText()).matcher(text).matches()) {
                scopes.add(rule.get("name").asText());
            }
        }
        return scopes;
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().sorted().toList();
    }

    private static int firstDifferentLine(String a, String b) {
        String[] x = a.split("\n", -1);
        String[] y = b.split("\n", -1);
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            if (!x[i].equals(y[i])) {
                return i + 1;
            }
        }
        return Math.min(x.length, y.length) + 1;
    }

    private static JsonNode parse(String json) {
        try {
            return new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("the generated grammar is not JSON", e);
        }
    }

    /** The samples that the npm tests tokenize are real .pipe files: the parser accepts them without an error. */
    @Test
    void samplesParse() throws IOException {
        Path samples = SharedData.projectDir().resolve("editors/vscode/test/samples");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(samples)) {
            files = walk.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no samples under " + samples);
        for (Path file : files) {
            List<String> errors = new ArrayList<>();
            BaseErrorListener collect = new BaseErrorListener() {
                @Override
                public void syntaxError(Recognizer<?, ?> recognizer, Object symbol, int line, int column, String msg,
                        RecognitionException e) {
                    errors.add(line + ":" + column + ": " + msg);
                }
            };
            PipeLexer lexer = new PipeLexer(CharStreams.fromPath(file));
            lexer.removeErrorListeners();
            lexer.addErrorListener(collect);
            PipeParser parser = new PipeParser(new CommonTokenStream(lexer));
            parser.removeErrorListeners();
            parser.addErrorListener(collect);
            parser.file();
            assertEquals(List.of(), errors, file.getFileName().toString());
        }
    }

    @Test
    void theGrammarParsesAsJsonWithTheExpectedRoot() {
        assertEquals(EditorGrammar.SCOPE_NAME, GRAMMAR.get("scopeName").asText());
        assertFalse(GRAMMAR.get("repository").isEmpty());
    }
}
