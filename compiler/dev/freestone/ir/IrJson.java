package dev.freestone.ir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The canonical JSON of the IR: map keys sorted (maps of the records and objects inside constants),
 * record fields in declaration order, absent values left out, no insignificant white space, UTF-8,
 * one trailing newline. The same program always gives the same bytes, so their SHA-256 is the
 * pipeline version. {@link #pretty} is the same document indented by two spaces ({@code --emit ir}).
 * {@link #read} accepts both and gives back an equal program (the runtime stores IR JSON to resume runs).
 */
public final class IrJson {
    private IrJson() {
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
            .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
            .configure(SerializationFeature.INDENT_OUTPUT, false)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .build();

    private static final DefaultPrettyPrinter PRETTY = new DefaultPrettyPrinter(
            Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"));

    /** The canonical text: compact, with a trailing newline. */
    public static String canonical(Ir.Program program) {
        return write(program, false);
    }

    public static byte[] canonicalBytes(Ir.Program program) {
        return canonical(program).getBytes(StandardCharsets.UTF_8);
    }

    /** The same document indented by two spaces, for people ({@code freestone compile --emit ir}). */
    public static String pretty(Ir.Program program) {
        return write(program, true);
    }

    /** Reads canonical or pretty IR JSON back. */
    public static Ir.Program read(String json) {
        try {
            return MAPPER.readValue(json, Ir.Program.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid Freestone IR JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Ir.Program read(byte[] json) {
        return read(new String(json, StandardCharsets.UTF_8));
    }

    /** The pipeline version: hex SHA-256 of the canonical bytes. */
    public static String sha256(Ir.Program program) {
        return sha256Hex(canonicalBytes(program));
    }

    /**
     * The content digest of a component: hex SHA-256 of its canonical JSON without the digest field (any
     * digest already set is ignored, so the result does not depend on it).
     */
    public static String componentDigest(Ir.Component c) {
        Ir.Component withoutDigest = new Ir.Component(null, c.name(), c.module(), c.inputs(), c.outputs(), c.image(),
                c.command(), c.script(), c.env(), c.settings(), c.resource(), c.doc(), c.requires());
        return sha256Hex(writeValue(withoutDigest, false).getBytes(StandardCharsets.UTF_8));
    }

    /** Canonical JSON of any IR value (used for digests of parts). */
    public static String canonicalValue(Object irValue) {
        return writeValue(irValue, false);
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    private static String write(Ir.Program program, boolean pretty) {
        return writeValue(program, pretty);
    }

    private static String writeValue(Object value, boolean pretty) {
        try {
            String text = pretty ? MAPPER.writer(PRETTY).writeValueAsString(value) : MAPPER.writeValueAsString(value);
            return text + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
