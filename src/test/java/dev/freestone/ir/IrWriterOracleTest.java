package dev.freestone.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.POJONode;
import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.check.Symbol;
import dev.freestone.compile.CompileGoldenTest;
import dev.freestone.diag.Source;
import dev.freestone.testing.DatabindIrJson;
import dev.freestone.testing.Golden;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link IrJson} writes by hand what databind wrote from the annotations on {@link Ir}; this test holds it
 * to databind's bytes ({@link DatabindIrJson}, the oracle), canonical and pretty, and to the component
 * digests databind's bytes give:
 * <ul>
 *   <li>every example and every golden {@code .pipe} that compiles, and every golden IR file;</li>
 *   <li>a hand-built program in which every component of every record is set ({@link IrSamples#full}),
 *       and every variant of it with one component somewhere set to null, a list emptied or given a null
 *       element, a map emptied or given a null value, a JSON value
 *       replaced by JSON null or a missing node;</li>
 *   <li>JSON values of every node type and number type, alone and in constants.</li>
 * </ul>
 * A guard walks the records and sealed interfaces reachable from {@link Ir.Program} by reflection and
 * fails on a component the hand-built program leaves unset, so a component added later is compared
 * too (and the null variants cover its {@code @JsonInclude}). Random programs: {@code IrWriterOracleProperties}.
 */
class IrWriterOracleTest {

    // --- the oracle ---------------------------------------------------------------------------------

    static void assertWritesAsDatabind(String what, Ir.Program p) {
        String expected = DatabindIrJson.canonical(p);
        assertEquals(expected, IrJson.canonical(p), what);
        assertEquals(Arrays.toString(expected.getBytes(StandardCharsets.UTF_8)),
                Arrays.toString(IrJson.canonicalBytes(p)), what);
        assertEquals(IrJson.sha256Hex(expected.getBytes(StandardCharsets.UTF_8)), IrJson.sha256(p), what);
        assertEquals(DatabindIrJson.pretty(p), IrJson.pretty(p), what);
        if (p.components() != null) {
            for (Ir.Component c : p.components().values()) {
                if (c != null) {
                    assertEquals(IrJson.sha256Hex(DatabindIrJson.canonical(c.counted()).getBytes(StandardCharsets.UTF_8)),
                            IrJson.componentDigest(c), what);
                }
            }
        }
    }

    static void assertValueWritesAsDatabind(Record value) {
        assertEquals(DatabindIrJson.canonical(value), IrJson.canonicalValue(value), () -> String.valueOf(value));
    }

    // --- (a) the examples and the golden inputs -----------------------------------------------------

    @TestFactory
    Stream<DynamicTest> examplesAndGoldenPipelines() {
        Set<String> sources = new TreeSet<>();
        CompileGoldenTest.cases().forEach(sources::add);
        try (Stream<Path> files = Files.walk(Golden.dir(""))) {
            files.filter(f -> f.toString().endsWith(".pipe"))
                    .forEach(f -> sources.add(Golden.projectDir().relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String source : sources) {
            Ir.Program ir = compiledOrNull(source);
            if (ir != null) {
                tests.add(DynamicTest.dynamicTest(source, () -> assertWritesAsDatabind(source, ir)));
            }
        }
        long cases = CompileGoldenTest.cases().count();
        assertTrue(tests.size() >= cases, "every example and compile case compiles, and some others: " + tests.size());
        return tests.stream();
    }

    /** The IR of a file that checks without errors and has one root pipeline; null for the others (error cases). */
    private static Ir.Program compiledOrNull(String source) {
        CheckResult check = Checker.check(new Source(source, Golden.read(Golden.projectDir().resolve(source))),
                new ModuleLoader(), new CheckOptions(Set.of(), false, null));
        if (check.hasErrors()) {
            return null;
        }
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
        return roots.size() == 1 ? IrBuilder.build(check.program(), roots.get(0)) : null;
    }

    @TestFactory
    Stream<DynamicTest> goldenIrFiles() {
        List<Path> files = Golden.inputs("ir", ".json");
        assertFalse(files.isEmpty());
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(),
                () -> assertWritesAsDatabind(f.toString(), IrJson.read(Golden.read(f)))));
    }

    // --- (c) hand-built values ----------------------------------------------------------------------

    @Test
    void theFullSampleWritesAsDatabind() {
        assertWritesAsDatabind("full", IrSamples.full());
    }

    @Test
    void everyVariantOfTheFullSampleWritesAsDatabind() {
        List<Object> variants = variants(IrSamples.full());
        assertTrue(variants.size() > 500, "variants: " + variants.size());
        for (int i = 0; i < variants.size(); i++) {
            assertWritesAsDatabind("variant " + i, (Ir.Program) variants.get(i));
        }
    }

    @Test
    void jsonValuesOfEveryKindWriteAsDatabind() {
        Set<JsonNodeType> nodeTypes = EnumSet.noneOf(JsonNodeType.class);
        Set<JsonParser.NumberType> numberTypes = new HashSet<>();
        for (JsonNode n : IrSamples.jsonValues()) {
            nodeTypes.add(n.getNodeType());
            if (n.isNumber()) {
                numberTypes.add(n.numberType());
            }
            assertValueWritesAsDatabind(new Ir.Const(n, IrType.STRING));
            assertValueWritesAsDatabind(new Ir.Param("p", IrType.STRING, n, null));
        }
        assertEquals(EnumSet.complementOf(EnumSet.of(JsonNodeType.POJO)), nodeTypes, "every node type but POJO");
        assertEquals(Set.of(JsonParser.NumberType.values()), numberTypes, "every number type");
    }

    @Test
    void everyRecordAloneWritesAsDatabind() {
        List<Record> values = new ArrayList<>(List.of(IrType.of("List[Int]"), Ir.Settings.NONE, IrSamples.fullSettings(),
                new Ir.PipelineCall("p"), new Ir.EnvSecret("s", "k"), new Ir.InputPath("in"), IrSamples.everyArgPart()));
        IrSamples.everyExpr().forEach(e -> values.add((Record) e));
        Ir.Program full = IrSamples.full();
        full.root().body().forEach(n -> values.add((Record) n));
        values.addAll(full.components().values());
        values.add(full.root());
        values.add(full);
        for (Record v : values) {
            assertValueWritesAsDatabind(v);
        }
        assertValueWritesAsDatabind(null);
    }

    @Test
    void nodesDatabindWouldWriteThroughItsSerializersAreRefused() {
        Ir.Const pojo = new Ir.Const(new POJONode(new StringBuilder("x")), IrType.STRING);
        assertThrows(IllegalArgumentException.class, () -> IrJson.canonicalValue(pojo));
    }

    // --- the guard: no component of the IR left out of the samples ----------------------------------

    @Test
    void theFullSampleSetsEveryComponentOfEveryRecordOfTheIr() {
        Set<String> reachable = new TreeSet<>();
        for (Class<?> record : irRecords()) {
            for (RecordComponent c : record.getRecordComponents()) {
                reachable.add(record.getName() + "." + c.getName());
            }
        }
        assertTrue(reachable.size() > 100, "reachable components: " + reachable.size());
        Set<String> set = new TreeSet<>();
        walk(IrSamples.full(), set);
        Set<String> unset = new TreeSet<>(reachable);
        unset.removeAll(set);
        assertEquals(Set.of(), unset, "components that IrSamples.full() never sets (add them there, and to IrWriter)");
    }

    /** The records reachable from {@link Ir.Program}: component types, their type arguments, sealed permits. */
    static Set<Class<?>> irRecords() {
        Set<Class<?>> records = new LinkedHashSet<>();
        Deque<Type> todo = new ArrayDeque<>(List.of(Ir.Program.class));
        Set<Type> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            Type t = todo.pop();
            if (!seen.add(t)) {
                continue;
            }
            if (t instanceof ParameterizedType pt) {
                todo.addAll(List.of(pt.getActualTypeArguments()));
                todo.add(pt.getRawType());
            } else if (t instanceof Class<?> c) {
                if (c.isRecord()) {
                    records.add(c);
                    for (RecordComponent rc : c.getRecordComponents()) {
                        todo.add(rc.getGenericType());
                    }
                } else if (c.isSealed()) {
                    todo.addAll(List.of(c.getPermittedSubclasses()));
                } else if (c.getName().startsWith("dev.freestone.")) {
                    throw new AssertionError("an IR type that is neither a record nor sealed: " + c);
                }
            } else {
                throw new AssertionError("an IR component type the guard does not know: " + t);
            }
        }
        return records;
    }

    /** Marks {@code Record.component} for every component set (not null, not an empty list or map) in {@code v}. */
    private static void walk(Object v, Set<String> set) {
        if (v instanceof Record r) {
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                Object value = get(r, c);
                boolean empty = value instanceof Collection<?> coll && coll.isEmpty()
                        || value instanceof Map<?, ?> m && m.isEmpty();
                if (value != null && !empty) {
                    set.add(r.getClass().getName() + "." + c.getName());
                }
                walk(value, set);
            }
        } else if (v instanceof Collection<?> coll) {
            coll.forEach(e -> walk(e, set));
        } else if (v instanceof Map<?, ?> m) {
            m.values().forEach(e -> walk(e, set));
        }
    }

    // --- variants: one change somewhere in a value --------------------------------------------------

    /** Every copy of {@code v} with one component, element or entry changed (see {@link #replacements}). */
    static List<Object> variants(Object v) {
        List<Object> out = new ArrayList<>();
        if (v instanceof Record r) {
            RecordComponent[] cs = r.getClass().getRecordComponents();
            Object[] values = new Object[cs.length];
            for (int i = 0; i < cs.length; i++) {
                values[i] = get(r, cs[i]);
            }
            for (int i = 0; i < cs.length; i++) {
                List<Object> changed = new ArrayList<>(replacements(cs[i].getType(), values[i]));
                changed.addAll(variants(values[i]));
                for (Object x : changed) {
                    Object[] copy = values.clone();
                    copy[i] = x;
                    out.add(construct(r.getClass(), cs, copy));
                }
            }
        } else if (v instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                for (Object x : variants(list.get(i))) {
                    List<Object> copy = new ArrayList<>(list);
                    copy.set(i, x);
                    out.add(copy);
                }
            }
        } else if (v instanceof SortedMap<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                for (Object x : variants(e.getValue())) {
                    @SuppressWarnings("unchecked")
                    SortedMap<Object, Object> copy = new TreeMap<>((SortedMap<Object, Object>) map);
                    copy.put(e.getKey(), x);
                    out.add(copy);
                }
            }
        }
        return out;
    }

    /** What a component may hold instead of {@code value}: null, and for lists, maps and JSON values more. */
    private static List<Object> replacements(Class<?> type, Object value) {
        if (type.isPrimitive()) {
            return List.of();
        }
        List<Object> out = new ArrayList<>();
        out.add(null);
        if (value instanceof List<?> list && !list.isEmpty()) {
            out.add(List.of());
            List<Object> withNull = new ArrayList<>(list);
            withNull.add(null);
            out.add(withNull);
        }
        if (value instanceof SortedMap<?, ?> map && !map.isEmpty()) {
            out.add(new TreeMap<>());
            @SuppressWarnings("unchecked")
            TreeMap<Object, Object> withNull = new TreeMap<>((SortedMap<Object, Object>) map);
            withNull.put("~null", null);
            out.add(withNull);
        }
        if (value instanceof JsonNode) {
            out.add(NullNode.getInstance());
            out.add(MissingNode.getInstance());
        }
        return out;
    }

    private static Object get(Record r, RecordComponent c) {
        try {
            return c.getAccessor().invoke(r);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object construct(Class<?> record, RecordComponent[] cs, Object[] values) {
        try {
            Class<?>[] types = Arrays.stream(cs).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Constructor<?> canonical = record.getDeclaredConstructor(types);
            return canonical.newInstance(values);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    // --- writing loads no databind ------------------------------------------------------------------

    /** A class loader of its own over the test class path: what it has loaded is what the code run in it needed. */
    private static final class Fresh extends URLClassLoader {
        Fresh() {
            super(classPath(), ClassLoader.getPlatformClassLoader());
        }

        boolean loaded(String name) {
            return findLoadedClass(name) != null;
        }

        String run(String callable) throws Exception {
            @SuppressWarnings("unchecked")
            Callable<String> c = (Callable<String>) loadClass(callable).getDeclaredConstructor().newInstance();
            return c.call();
        }

        private static URL[] classPath() {
            List<URL> urls = new ArrayList<>();
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                try {
                    urls.add(Path.of(entry).toUri().toURL());
                } catch (MalformedURLException e) {
                    throw new AssertionError(e);
                }
            }
            return urls.toArray(URL[]::new);
        }
    }

    @Test
    void writingLoadsNoDatabind() throws Exception {
        try (Fresh fresh = new Fresh()) {
            String hash = fresh.run(IrWriterColdRun.Samples.class.getName());
            assertEquals(IrJson.sha256(IrSamples.full()), hash);
            assertTrue(fresh.loaded("com.fasterxml.jackson.core.JsonFactory"), "the loader sees what it loaded");
            assertTrue(fresh.loaded("com.fasterxml.jackson.databind.JsonNode"));
            assertFalse(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper"), "writing initialised databind");
            assertFalse(fresh.loaded("com.fasterxml.jackson.databind.ser.BeanSerializerFactory"));
        }
    }

    @Test
    void checkingBuildingAndHashingOnePipelineLoadsNoDatabind() throws Exception {
        try (Fresh fresh = new Fresh()) {
            String hash = fresh.run(IrWriterColdRun.OneStep.class.getName());
            assertEquals(64, hash.length());
            assertFalse(fresh.loaded("com.fasterxml.jackson.databind.ObjectMapper"),
                    "checking, building and hashing bench/one_step.pipe initialised databind");
        }
    }
}
