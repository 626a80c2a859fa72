package dev.freestone.syntax;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.syntax.antlr.PipeLexer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.Vocabulary;

/**
 * The TextMate grammar of {@code .pipe} files (scope {@value #SCOPE_NAME}) that editors use for
 * highlighting, generated so that it cannot drift from the language: the keywords and operators are
 * read from the ANTLR lexer's vocabulary, the literal rules mirror {@code grammar/PipeLexer.g4}.
 *
 * <p>In: {@link PipeLexer#VOCABULARY} and the classifications below. Out: {@link #json()}, the grammar as
 * pretty JSON (2-space indent, fixed key order, trailing newline), byte-identical for the same lexer. The
 * copy committed at {@value #COMMITTED_PATH} is checked against it by {@code EditorGrammarTest}.
 *
 * <p>A keyword or operator the lexer gains is highlighted at once with a generic scope
 * ({@code keyword.other.pipe}, {@code keyword.operator.pipe}); the test then asks for it to be classified here.
 */
public final class EditorGrammar {
    public static final String SCOPE_NAME = "source.pipe";

    /** Where the generated grammar is committed, relative to the project directory. */
    public static final String COMMITTED_PATH = "editors/vscode/syntaxes/pipe.tmLanguage.json";

    /**
     * The types every file can name without an import, in the order of {@code dev.freestone.check.Type.builtinNames()}.
     * A copy, because syntax must not depend on check; {@code BuiltinTypesTest} fails when the two differ.
     */
    public static final List<String> BUILTIN_TYPES = List.of("String", "Int", "Float", "Bool", "Duration", "Quantity",
            "Artifact", "Dataset", "Model", "Metrics", "ClassificationMetrics", "HTML", "Markdown", "Volume", "Failure", "List",
            "Map");

    // Keyword classes; every keyword literal of the lexer belongs to exactly one (EditorGrammarTest checks it).
    public static final List<String> CONTROL_KEYWORDS = List.of("if", "else", "for", "in", "parallel", "after",
            "finally");
    public static final List<String> DECLARATION_KEYWORDS = List.of("import", "as", "component", "pipeline", "struct",
            "artifact", "output", "script", "with");
    public static final List<String> CONSTANT_KEYWORDS = List.of("true", "false", "null");
    public static final List<String> WORD_OPERATORS = List.of("and", "or", "not");

    /**
     * The declaration keywords that introduce a name, and the scope of that name. These keywords are
     * {@code storage.type.pipe}; the other declaration keywords are {@code keyword.declaration.pipe}.
     */
    private static final Map<String, String> ENTITY_NAME_SCOPES = Map.of(
            "component", "entity.name.function.pipe",
            "pipeline", "entity.name.function.pipe",
            "struct", "entity.name.type.pipe",
            "artifact", "entity.name.type.pipe");

    /** Scopes of the lexer's punctuation, in rule order; a literal the lexer lacks is left out. */
    private static final List<Classified> OPERATOR_CLASSES = List.of(
            new Classified("keyword.operator.arrow.pipe", List.of("->")),
            new Classified("keyword.operator.comparison.pipe", List.of("==", "!=", "<=", ">=", "<", ">")),
            new Classified("keyword.operator.logical.pipe", List.of("&&", "||", "!")),
            new Classified("keyword.operator.assignment.pipe", List.of("=")),
            new Classified("keyword.operator.arithmetic.pipe", List.of("+", "-", "*", "/", "%")),
            new Classified("keyword.operator.optional.pipe", List.of("?")),
            new Classified("punctuation.separator.colon.pipe", List.of(":")),
            new Classified("punctuation.separator.comma.pipe", List.of(",")),
            new Classified("punctuation.accessor.pipe", List.of(".")),
            new Classified("punctuation.section.parens.begin.pipe", List.of("(")),
            new Classified("punctuation.section.parens.end.pipe", List.of(")")),
            new Classified("punctuation.section.brackets.begin.pipe", List.of("[")),
            new Classified("punctuation.section.brackets.end.pipe", List.of("]")),
            new Classified("punctuation.section.braces.begin.pipe", List.of("{")),
            new Classified("punctuation.section.braces.end.pipe", List.of("}")));

    /** Literal tokens that open strings and interpolations: the string rules own them, not the operator rules. */
    public static final List<String> STRING_DELIMITERS = List.of("\"", "${");

    // Copied from grammar/PipeLexer.g4 (rules DURATION, QUANTITY, FLOAT, INT, BAD_UNIT, STRING_ESCAPE and the
    // fragments DIGITS, EXPONENT, HEX). EditorGrammarTest lexes every unit and random numbers and escapes with
    // PipeLexer and compares, so an edit of the .g4 that is not carried over here fails the build.
    public static final List<String> DURATION_UNITS = List.of("ms", "s", "m", "h", "d");
    public static final List<String> QUANTITY_UNITS = List.of("Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "k", "M", "G", "T",
            "P", "E");
    private static final String DIGITS = "[0-9](?:_?[0-9])*";
    private static final String ESCAPE = "\\\\(?:[nrt\"\\\\$0]|u[0-9a-fA-F]{4}|u\\{[0-9a-fA-F]+\\})";
    /** A name, as the lexer reads one (a regular expression). */
    public static final String IDENT = "[A-Za-z_][A-Za-z0-9_]*";

    private EditorGrammar() {
    }

    /** The keyword literals of the lexer (tokens whose literal is a word), in vocabulary order. */
    public static List<String> keywords() {
        return literals().stream().filter(EditorGrammar::isWord).toList();
    }

    /** The operator and punctuation literals of the lexer, without {@link #STRING_DELIMITERS}. */
    public static List<String> operators() {
        return literals().stream().filter(l -> !isWord(l) && !STRING_DELIMITERS.contains(l)).toList();
    }

    /** The grammar as JSON text, ending with a newline. */
    public static String json() {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("name", "Freestone Pipe");
        root.put("scopeName", SCOPE_NAME);
        root.putArray("fileTypes").add("pipe");
        root.put("comment", "Generated from grammar/PipeLexer.g4 by dev.freestone.syntax.EditorGrammar; do not edit."
                + " Regenerate: mvn -B -q test -Dtest=EditorGrammarTest -Dfreestone.regenerate=true");
        root.set("patterns", render(List.of(new Include("comments"), new Include("declarations"),
                new Include("expression"))));
        ObjectNode repository = root.putObject("repository");
        repository().forEach((key, rule) -> repository.set(key, render(rule)));
        try {
            return MAPPER.writer(PRINTER).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain nodes always serializes", e);
        }
    }

    /** Writes the grammar to the file named by the one argument. */
    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: EditorGrammar OUTPUT.tmLanguage.json   (the committed copy is " + COMMITTED_PATH
                    + ")");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        try {
            if (out.toAbsolutePath().getParent() != null) {
                Files.createDirectories(out.toAbsolutePath().getParent());
            }
            Files.writeString(out, json(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("error: cannot write " + out + ": " + e.getMessage());
            System.exit(1);
        }
    }

    // --- the rules ----------------------------------------------------------------------------------------

    /** The scope of {@code freestone:allow} inside a comment. */
    static final String ALLOW = "keyword.other.directive.allow.pipe";

    private static Map<String, Rule> repository() {
        List<String> keywords = keywords();
        Map<String, Rule> repo = new LinkedHashMap<>();
        repo.put("comments", new Group(List.of(
                new Match("comment.line.documentation.pipe", "(///).*$", Map.of(1, "punctuation.definition.comment.pipe")),
                // `freestone:allow` anywhere in a comment silences warnings (as the checker reads it): shown as a directive
                new Match("comment.line.double-slash.pipe", "(//)(?:.*?\\b(freestone:allow)\\b)?.*$",
                        Map.of(1, "punctuation.definition.comment.pipe", 2, ALLOW)),
                new Region("comment.block.pipe", "", "/\\*", Map.of(0, "punctuation.definition.comment.begin.pipe"),
                        "\\*/", Map.of(0, "punctuation.definition.comment.end.pipe"),
                        List.of(new Match(ALLOW, "\\bfreestone:allow\\b", Map.of()))))));
        repo.put("declarations", new Group(declarations(keywords)));
        // Everything that can stand inside `${...}`; the root adds only the declarations.
        repo.put("expression", new Group(List.of(new Include("comments"), new Include("triple-string"),
                new Include("string"), new Include("numbers"), new Include("keywords"), new Include("builtin-types"),
                new Include("function-call"), new Include("parens"), new Include("operators"))));
        // TRIPLE_STRING: a script body, taken verbatim (no escapes, no interpolation).
        repo.put("triple-string", new Region("string.quoted.triple.pipe", "", "\"\"\"",
                Map.of(0, "punctuation.definition.string.begin.pipe"), "\"\"\"",
                Map.of(0, "punctuation.definition.string.end.pipe"), List.of()));
        // STRING_MODE: a newline ends an unterminated string (STRING_NEWLINE), hence `$`.
        repo.put("string", new Region("string.quoted.double.pipe", "", "\"",
                Map.of(0, "punctuation.definition.string.begin.pipe"), "\"|$",
                Map.of(0, "punctuation.definition.string.end.pipe"),
                List.of(new Include("string-escapes"), new Include("interpolation"))));
        repo.put("string-escapes", new Group(List.of(
                new Match("constant.character.escape.pipe", ESCAPE, Map.of()),
                new Match("invalid.illegal.escape.pipe", "\\\\.?", Map.of()))));
        // `${` pushes the default mode until its `}`: braces inside must balance, so they are regions too.
        repo.put("interpolation", new Region("meta.interpolation.pipe", "meta.embedded.line.pipe", "\\$\\{",
                Map.of(0, "punctuation.section.interpolation.begin.pipe"), "\\}",
                Map.of(0, "punctuation.section.interpolation.end.pipe"),
                List.of(new Include("interpolation-braces"), new Include("expression"))));
        repo.put("interpolation-braces", new Region("", "", "\\{", Map.of(0, "punctuation.section.braces.begin.pipe"),
                "\\}", Map.of(0, "punctuation.section.braces.end.pipe"),
                List.of(new Include("interpolation-braces"), new Include("expression"))));
        repo.put("numbers", new Group(numbers()));
        repo.put("keywords", new Group(keywordRules(keywords)));
        repo.put("builtin-types", new Match("support.type.builtin.pipe", words(BUILTIN_TYPES), Map.of()));
        repo.put("function-call", new Match("entity.name.function.call.pipe", "\\b" + IDENT + "(?=\\s*\\()", Map.of()));
        // Inside parentheses `name =` is a named argument and `name :` a parameter or output declaration.
        repo.put("parens", new Region("", "", "\\(", Map.of(0, "punctuation.section.parens.begin.pipe"), "\\)",
                Map.of(0, "punctuation.section.parens.end.pipe"),
                List.of(new Include("parameter-names"), new Include("$self"))));
        repo.put("parameter-names", new Match("", "(?:^|(?<=[(,]))\\s*(" + IDENT + ")(?=\\s*(?:=(?!=)|:))",
                Map.of(1, "variable.parameter.pipe")));
        repo.put("operators", new Group(operatorRules(operators())));
        return repo;
    }

    /** {@code component NAME}, {@code struct NAME}, ...: one rule per scope of the name. */
    private static List<Rule> declarations(List<String> keywords) {
        Map<String, List<String>> byScope = new LinkedHashMap<>();
        for (String keyword : DECLARATION_KEYWORDS) {
            String scope = ENTITY_NAME_SCOPES.get(keyword);
            if (scope != null && keywords.contains(keyword)) {
                byScope.computeIfAbsent(scope, s -> new ArrayList<>()).add(keyword);
            }
        }
        List<Rule> rules = new ArrayList<>();
        byScope.forEach((scope, words) -> rules.add(new Match("",
                "\\b(" + String.join("|", sortedForAlternation(words)) + ")\\s+(" + IDENT + ")\\b",
                Map.of(1, "storage.type.pipe", 2, scope))));
        return rules;
    }

    /**
     * The literals in the order TextMate must try them at one position to agree with the lexer's longest match:
     * a float or a number with a unit before the bare integer; any other letters glued on make a BAD_UNIT.
     */
    private static List<Rule> numbers() {
        String fraction = "(?:\\." + DIGITS + ")?";
        // A signed exponent ends the token (the lexer's BAD_UNIT cannot cross the sign); otherwise any word
        // character glued on makes a longer BAD_UNIT.
        String floatRegex = "\\b" + DIGITS + "(?:" + fraction + "[eE](?:[+-][0-9]+|[0-9]+\\b)|\\." + DIGITS + "\\b)";
        return List.of(
                new Match("constant.numeric.float.pipe", floatRegex, Map.of()),
                new Match("constant.numeric.duration.pipe",
                        "\\b" + DIGITS + "(?:" + String.join("|", sortedForAlternation(DURATION_UNITS)) + ")\\b",
                        Map.of()),
                new Match("constant.numeric.quantity.pipe",
                        "\\b" + DIGITS + fraction + "(?:" + String.join("|", sortedForAlternation(QUANTITY_UNITS))
                                + ")\\b",
                        Map.of()),
                // Before BAD_UNIT: `1_000` is an INT although `1` `_000` would also read as a bad unit.
                new Match("constant.numeric.integer.pipe", "\\b" + DIGITS + "\\b(?!\\.[0-9])", Map.of()),
                new Match("invalid.illegal.unit.pipe", "\\b" + DIGITS + fraction + IDENT, Map.of()));
    }

    private static List<Rule> keywordRules(List<String> keywords) {
        List<String> entityKeywords = DECLARATION_KEYWORDS.stream().filter(ENTITY_NAME_SCOPES::containsKey).toList();
        List<String> otherDeclarations = DECLARATION_KEYWORDS.stream().filter(k -> !ENTITY_NAME_SCOPES.containsKey(k))
                .toList();
        List<Classified> classes = List.of(
                new Classified("keyword.control.pipe", CONTROL_KEYWORDS),
                new Classified("storage.type.pipe", entityKeywords),
                new Classified("keyword.declaration.pipe", otherDeclarations),
                new Classified("constant.language.pipe", CONSTANT_KEYWORDS),
                new Classified("keyword.operator.logical.pipe", WORD_OPERATORS),
                new Classified("keyword.other.pipe", unclassifiedKeywords()));
        List<Rule> rules = new ArrayList<>();
        for (Classified c : classes) {
            List<String> present = c.literals().stream().filter(keywords::contains).toList();
            if (!present.isEmpty()) {
                rules.add(new Match(c.scope(), words(present), Map.of()));
            }
        }
        return rules;
    }

    /** Keyword literals of the lexer that no class above names. */
    public static List<String> unclassifiedKeywords() {
        return keywords().stream().filter(k -> !CONTROL_KEYWORDS.contains(k) && !DECLARATION_KEYWORDS.contains(k)
                && !CONSTANT_KEYWORDS.contains(k) && !WORD_OPERATORS.contains(k)).toList();
    }

    /** Operator and punctuation literals of the lexer that no class above names. */
    public static List<String> unclassifiedOperators() {
        return operators().stream()
                .filter(o -> OPERATOR_CLASSES.stream().noneMatch(c -> c.literals().contains(o))).toList();
    }

    /**
     * One rule per operator class. Each literal refuses to match where a longer literal of the lexer starts
     * ({@code =} not before {@code =}, {@code -} not before {@code >}), the lexer's longest match, whatever
     * the order of the rules.
     */
    private static List<Rule> operatorRules(List<String> operators) {
        List<Classified> classes = new ArrayList<>(OPERATOR_CLASSES);
        classes.add(new Classified("keyword.operator.pipe", unclassifiedOperators()));
        List<Rule> rules = new ArrayList<>();
        for (Classified c : classes) {
            List<String> present = sortedForAlternation(c.literals().stream().filter(operators::contains).toList());
            if (present.isEmpty()) {
                continue;
            }
            String regex = present.stream().map(op -> {
                List<String> longer = operators.stream().filter(o -> o.length() > op.length() && o.startsWith(op))
                        .map(o -> escape(o.substring(op.length()))).sorted().toList();
                return escape(op) + (longer.isEmpty() ? "" : "(?!" + String.join("|", longer) + ")");
            }).collect(Collectors.joining("|"));
            rules.add(new Match(c.scope(), regex, Map.of()));
        }
        return rules;
    }

    // --- helpers --------------------------------------------------------------------------------------------

    private static List<String> literals() {
        Vocabulary vocabulary = PipeLexer.VOCABULARY;
        List<String> literals = new ArrayList<>();
        for (int type = 1; type <= vocabulary.getMaxTokenType(); type++) {
            String literal = vocabulary.getLiteralName(type);
            if (literal != null && literal.length() >= 2 && literal.startsWith("'") && literal.endsWith("'")) {
                literals.add(literal.substring(1, literal.length() - 1).replace("\\'", "'").replace("\\\\", "\\"));
            }
        }
        return literals;
    }

    private static boolean isWord(String literal) {
        return literal.matches(IDENT);
    }

    private static String words(List<String> words) {
        return "\\b(?:" + String.join("|", sortedForAlternation(words)) + ")\\b";
    }

    /** Longest first, then alphabetical: a deterministic order in which no alternative shadows a longer one. */
    private static List<String> sortedForAlternation(List<String> alternatives) {
        return alternatives.stream()
                .sorted(Comparator.comparingInt(String::length).reversed().thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    private static String escape(String literal) {
        StringBuilder sb = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    // --- the TextMate model and its JSON ------------------------------------------------------------------

    private static final ObjectMapper MAPPER = new ObjectMapper();

    // 2-space indent, "\n" on every platform, `"key": value`, `[]` and `{}` when empty.
    private static final DefaultPrettyPrinter PRINTER = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("")
            .withArrayEmptySeparator(""))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /** A set of literals that share a scope. */
    private record Classified(String scope, List<String> literals) {
    }

    /** A TextMate rule; empty strings stand for absent fields. */
    private sealed interface Rule permits Include, Match, Region, Group {
    }

    /** {@code {"include": "#name"}}, or {@code $self}. */
    private record Include(String target) implements Rule {
    }

    private record Match(String name, String regex, Map<Integer, String> captures) implements Rule {
    }

    private record Region(String name, String contentName, String begin, Map<Integer, String> beginCaptures,
            String end, Map<Integer, String> endCaptures, List<Rule> patterns) implements Rule {
    }

    private record Group(List<Rule> patterns) implements Rule {
    }

    private static ArrayNode render(List<Rule> rules) {
        ArrayNode array = MAPPER.createArrayNode();
        rules.forEach(rule -> array.add(render(rule)));
        return array;
    }

    private static ObjectNode render(Rule rule) {
        ObjectNode node = MAPPER.createObjectNode();
        // Java 17: no pattern matching for switch yet.
        if (rule instanceof Include include) {
            node.put("include", include.target().startsWith("$") ? include.target() : "#" + include.target());
        } else if (rule instanceof Match match) {
            putIfPresent(node, "name", match.name());
            node.put("match", match.regex());
            putCaptures(node, "captures", match.captures());
        } else if (rule instanceof Region region) {
            putIfPresent(node, "name", region.name());
            putIfPresent(node, "contentName", region.contentName());
            node.put("begin", region.begin());
            putCaptures(node, "beginCaptures", region.beginCaptures());
            node.put("end", region.end());
            putCaptures(node, "endCaptures", region.endCaptures());
            if (!region.patterns().isEmpty()) {
                node.set("patterns", render(region.patterns()));
            }
        } else if (rule instanceof Group group) {
            node.set("patterns", render(group.patterns()));
        }
        return node;
    }

    private static void putIfPresent(ObjectNode node, String key, String value) {
        if (!value.isEmpty()) {
            node.put(key, value);
        }
    }

    private static void putCaptures(ObjectNode node, String key, Map<Integer, String> captures) {
        if (captures.isEmpty()) {
            return;
        }
        ObjectNode object = node.putObject(key);
        new TreeMap<>(captures).forEach((group, scope) -> object.putObject(group.toString()).put("name", scope));
    }
}
