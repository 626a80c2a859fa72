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
 *
 * <p>Writing goes through {@link IrWriter} (jackson-core's generator, by hand), reading through databind:
 * the bytes are those databind writes for the annotations on {@link Ir}, without its start-up cost.
 */
public final class IrJson {
    private IrJson() {
    }

    /**
     * Databind, for reading only: built on first use, so that writing (every {@code run} and {@code compile}
     * hashes its IR) never initialises it. The write features stay set for callers of {@link #mapper()}.
     */
    private static final class Databind {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
                .configure(JsonNodeFeature.WRITE_PROPERTIES_SORTED, true)
                .configure(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY, false)
                .configure(SerializationFeature.INDENT_OUTPUT, false)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                .build();
    }

    /** A template: a pretty printer keeps its nesting, so each document gets its own instance. */
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
            return Databind.MAPPER.readValue(json, Ir.Program.class);
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
     * digest already set is ignored, so the result does not depend on it) and without its scripts' places
     * in the source ({@link Ir.Component#counted}).
     */
    public static String componentDigest(Ir.Component c) {
        return sha256Hex(writeValue(c.counted(), false).getBytes(StandardCharsets.UTF_8));
    }

    /** Canonical JSON of any record of the IR, or of an {@link IrType} (used for digests of parts). */
    public static String canonicalValue(Record irValue) {
        return writeValue(irValue, false);
    }

    /** The mapper {@link #read} uses (configured as the writer writes), for reading IR values in other shapes. */
    public static ObjectMapper mapper() {
        return Databind.MAPPER;
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

    private static String writeValue(Record value, boolean pretty) {
        return IrWriter.write(value, pretty ? PRETTY.createInstance() : null);
    }
}
