package dev.freestone.stdlib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.freestone.check.ArgoCondition;
import dev.freestone.check.CheckOptions;
import dev.freestone.check.CheckResult;
import dev.freestone.check.Checker;
import dev.freestone.check.ModuleLoader;
import dev.freestone.check.Symbol;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import dev.freestone.ir.Ir;
import dev.freestone.ir.IrBuilder;
import dev.freestone.ir.IrJson;
import dev.freestone.lower.argo.ArgoLint;
import dev.freestone.lower.argo.ArgoLowering;
import dev.freestone.lower.argo.ArgoSchema;
import dev.freestone.lower.argo.CrdSchema;
import dev.freestone.lower.argo.LowerOptions;
import dev.freestone.lower.argo.Lowered;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Kubeflow components of the standard library, compiled through the real front end: each lowers to a
 * {@code resource} template whose manifest, with the step's argument values put in for its input tags (as
 * Argo does), validates against the CRD in {@code ../shared/kubeflow/crds}; its conditions end the step
 * as docs/stdlib.md says (and parse as Argo's label selectors); owner references are set except for the
 * InferenceService; and the whole Workflow passes Argo's schema and the lint. The examples compile clean.
 */
class KubeflowStdlibTest {
    private static final YAMLMapper YAML = new YAMLMapper();
    /** An expression tag of a manifest; the lowering writes each value as JSON computed by Argo (ManifestText). */
    private static final Pattern TAG = Pattern.compile("\\{\\{=(.*?)}}");
    private static final Pattern OPTIONAL = Pattern.compile("inputs\\.parameters\\['([^']+)'] == '' \\? 'null' : (.*)");
    private static final Pattern PARSED = Pattern.compile("toJson\\(jsonpath\\(inputs\\.parameters\\['([^']+)'], '\\$'\\)\\)");
    private static final Pattern TEXT = Pattern.compile("toJson\\((.*)\\)");
    private static final Pattern OPERAND = Pattern.compile("'((?:[^'\\\\]|\\\\u[0-9a-f]{4})*)'|inputs\\.parameters\\['([^']+)']");
    private static ArgoSchema argoSchema;

    private static ArgoSchema argoSchema() throws IOException {
        if (argoSchema == null) {
            argoSchema = ArgoSchema.load(SharedData.file("argo/schema.json"));
        }
        return argoSchema;
    }

    private static Path crd(String file) {
        return SharedData.file("kubeflow/crds/" + file);
    }

    // --- compiling -------------------------------------------------------------------------------------

    static Ir.Program ir(String name, String text) {
        CheckResult r = Checker.check(new Source(name, text), new ModuleLoader(), CheckOptions.DEFAULT);
        assertEquals("", new Renderer(false).render(r.diagnostics()), "diagnostics in " + name);
        Symbol.Pipeline p = r.program().pipelines().get(r.program().pipelines().size() - 1);
        return IrBuilder.build(r.program(), p);
    }

    static ObjectNode workflow(Ir.Program ir) {
        Lowered l = ArgoLowering.lower(ir, LowerOptions.defaults());
        assertTrue(l.diagnostics().isEmpty(), () -> "lowering: " + l.diagnostics());
        return l.main();
    }

    private static void assertValidWorkflow(ObjectNode wf) throws IOException {
        assertEquals(List.of(), argoSchema().validate(wf), "Argo schema");
        assertEquals(List.of(), ArgoLint.lint(wf), "Argo lint");
    }

    private static JsonNode template(ObjectNode wf, String name) {
        for (JsonNode t : wf.path("spec").path("templates")) {
            if (t.path("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no template " + name + " in " + wf.path("spec").path("templates"));
    }

    /**
     * The values the (one) task calling {@code template} passes, as Argo substitutes them: the task's
     * arguments, or, where the lowering computes one ({@code {{=toJson([...])}}}), the constant of the IR
     * task as Argo's controller renders it (text as is, anything else as JSON).
     */
    private static Map<String, String> arguments(ObjectNode wf, Ir.Program ir, String template) {
        for (JsonNode t : wf.path("spec").path("templates")) {
            for (JsonNode task : t.path("dag").path("tasks")) {
                if (task.path("template").asText().equals(template)) {
                    Ir.Task irTask = ir.root().body().stream().filter(n -> n instanceof Ir.Task x
                            && x.id().equals(task.path("name").asText())).map(Ir.Task.class::cast).findFirst().orElseThrow();
                    Map<String, String> out = new HashMap<>();
                    task.path("arguments").path("parameters").forEach(p -> {
                        String name = p.path("name").asText();
                        String v = p.path("value").asText();
                        JsonNode c = v.contains("{{") ? constant(irTask.inputs().get(name)) : null;
                        if (c != null) {
                            v = c.isTextual() ? c.asText() : c.toString();
                        }
                        out.put(name, v);
                    });
                    return out;
                }
            }
        }
        throw new AssertionError("no task calls " + template);
    }

    /** The value of a constant IR expression (lists and maps of constants included); null otherwise. */
    private static JsonNode constant(Ir.Expr e) {
        ObjectMapper json = new ObjectMapper();
        if (e instanceof Ir.Const c) {
            return c.value();
        } else if (e instanceof Ir.ListOf l) {
            var a = json.createArrayNode();
            for (Ir.Expr x : l.elements()) {
                JsonNode v = constant(x);
                if (v == null) {
                    return null;
                }
                a.add(v);
            }
            return a;
        } else if (e instanceof Ir.MapOf m) {
            ObjectNode o = json.createObjectNode();
            for (int i = 0; i < m.keys().size(); i++) {
                JsonNode v = constant(m.values().get(i));
                if (v == null) {
                    return null;
                }
                o.set(m.keys().get(i), v);
            }
            return o;
        }
        return null;
    }

    /** The manifest of a resource template as the cluster receives it. */
    static JsonNode created(ObjectNode wf, Ir.Program ir, String template) throws IOException {
        String manifest = template(wf, template).path("resource").path("manifest").asText();
        assertFalse(manifest.contains("{{inputs.parameters."), "a value spliced into the manifest as text:\n" + manifest);
        Map<String, String> values = arguments(wf, ir, template);
        Matcher m = TAG.matcher(manifest);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(evaluate(m.group(1), values)));
        }
        m.appendTail(b);
        return YAML.readTree(b.toString());
    }

    /** What Argo's controller makes of the three forms of expression ManifestText writes. */
    private static String evaluate(String code, Map<String, String> values) throws IOException {
        Matcher optional = OPTIONAL.matcher(code);
        if (optional.matches()) {
            return value(values, optional.group(1)).isEmpty() ? "null" : evaluate(optional.group(2), values);
        }
        Matcher parsed = PARSED.matcher(code);
        if (parsed.matches()) {
            return new ObjectMapper().readTree(value(values, parsed.group(1))).toString();
        }
        Matcher text = TEXT.matcher(code);
        assertTrue(text.matches(), "an expression the lowering does not write: " + code);
        StringBuilder joined = new StringBuilder();
        Matcher operand = OPERAND.matcher(text.group(1));
        int at = 0;
        while (operand.find()) {
            assertEquals(text.group(1).substring(at, operand.start()).strip(), at == 0 ? "" : "+", code);
            joined.append(operand.group(2) != null ? value(values, operand.group(2))
                    : Pattern.compile("\\\\u([0-9a-f]{4})").matcher(operand.group(1))
                            .replaceAll(u -> String.valueOf((char) Integer.parseInt(u.group(1), 16))));
            at = operand.end();
        }
        assertEquals(text.group(1).length(), at, code);
        return new ObjectMapper().writeValueAsString(joined.toString());
    }

    private static String value(Map<String, String> values, String name) {
        String v = values.get(name);
        assertNotNull(v, "no value for " + name);
        assertFalse(v.contains("{{"), "the sample value of " + name + " must be a constant, is " + v);
        return v;
    }

    private static void assertValid(CrdSchema schema, JsonNode resource) {
        assertEquals(List.of(), schema.validate(resource), () -> "against the " + schema.kind() + " CRD:\n" + resource.toPrettyString());
    }

    private static void assertConditionsParse(JsonNode resource) {
        for (String c : List.of("successCondition", "failureCondition")) {
            if (resource.has(c)) {
                assertEquals(List.of(), ArgoCondition.problems(resource.path(c).asText()), c);
            }
        }
    }

    private static List<String> failedAtEveryIndex(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add("status.conditions." + i + ".type == Failed");
        }
        return out;
    }

    private static List<String> requirements(String condition) {
        return Stream.of(condition.split(",(?![^(]*\\))")).map(String::strip).toList();
    }

    // --- the components -----------------------------------------------------------------------------------

    @Test
    void sparkApplicationsValidateAndEndOnTheApplicationState() throws IOException {
        CrdSchema crd = CrdSchema.load(crd("sparkoperator.k8s.io_sparkapplications.yaml"));
        Ir.Program ir = ir("spark.pipe", """
                import stdlib/spark as spark
                pipeline prep() -> (a: String, b: String) {
                  py = spark.submit(name = "prep", main_file = "local:///opt/app/prep.py", args = ["--rows", "10"],
                                    conf = {"spark.sql.shuffle.partitions": "8"}, executors = 3, executor_memory = "4g")
                  jvm = spark.submit_class(name = "etl", main_file = "s3a://jobs/etl.jar", main_class = "com.example.Etl")
                  output a = py.app
                  output b = jvm.app
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        for (String t : List.of("submit", "submit-class")) {
            JsonNode res = template(wf, t).path("resource");
            JsonNode app = created(wf, ir, t);
            assertValid(crd, app);
            assertEquals("create", res.path("action").asText());
            assertEquals("status.applicationState.state == COMPLETED", res.path("successCondition").asText());
            assertEquals("status.applicationState.state == FAILED", res.path("failureCondition").asText());
            assertTrue(res.path("setOwnerReference").asBoolean());
            assertConditionsParse(res);
            assertEquals("{.metadata.name}", template(wf, t).path("outputs").path("parameters").get(0)
                    .path("valueFrom").path("jsonPath").asText());
        }
        JsonNode py = created(wf, ir, "submit");
        assertEquals(3, py.path("spec").path("executor").path("instances").asInt());
        assertEquals("8", py.path("spec").path("sparkConf").path("spark.sql.shuffle.partitions").asText());
        assertEquals(List.of("--rows", "10"), List.of(py.path("spec").path("arguments").get(0).asText(),
                py.path("spec").path("arguments").get(1).asText()));
        assertEquals("com.example.Etl", created(wf, ir, "submit-class").path("spec").path("mainClass").asText());
    }

    @Test
    void tfJobsAndPyTorchJobsValidateAndEndOnCompletionOrAFailedCondition() throws IOException {
        Ir.Program ir = ir("training.pipe", """
                import stdlib/training as training
                pipeline fit() -> (a: String, b: String) {
                  tf = training.tfjob(name = "mnist", image = "tensorflow/tensorflow:2.16.1",
                                      command = ["python3", "train.py", "--epochs", "3"], model_dir = "s3://m/tf",
                                      workers = 3, ps = 1, gpus = 1, backoff_limit = 5, istio_sidecar = "true")
                  pt = training.pytorchjob(name = "mnist", image = "pytorch/pytorch:2.3.1",
                                           command = ["python3", "train.py"], model_dir = "s3://m/pt", workers = 2)
                  output a = tf.model
                  output b = pt.model
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        Map<String, String> crds = Map.of("tfjob", "kubeflow.org_tfjobs.yaml", "pytorchjob", "kubeflow.org_pytorchjobs.yaml");
        for (Map.Entry<String, String> e : crds.entrySet()) {
            JsonNode job = created(wf, ir, e.getKey());
            assertValid(CrdSchema.load(crd(e.getValue())), job);
            JsonNode res = template(wf, e.getKey()).path("resource");
            assertEquals("status.completionTime", res.path("successCondition").asText());
            List<String> failure = requirements(res.path("failureCondition").asText());
            assertTrue(failure.containsAll(failedAtEveryIndex(6)), () -> "failure: " + failure);
            assertTrue(res.path("setOwnerReference").asBoolean());
            assertConditionsParse(res);
            JsonNode outputs = template(wf, e.getKey()).path("outputs").path("parameters");
            assertEquals(".metadata.annotations[\"freestone.dev/model-dir\"]", outputs.get(1).path("valueFrom")
                    .path("jqFilter").asText());
            assertTrue(job.path("metadata").path("annotations").path("freestone.dev/model-dir").asText().startsWith("s3://m/"));
        }
        // without a backoff limit the operator restarts a crashing replica (OnFailure) forever: the step never ends
        JsonNode tfLimit = created(wf, ir, "tfjob").path("spec").path("runPolicy").path("backoffLimit");
        assertTrue(tfLimit.isIntegralNumber() && tfLimit.asInt() == 5, () -> "TFJob backoffLimit: " + tfLimit);
        JsonNode ptLimit = created(wf, ir, "pytorchjob").path("spec").path("runPolicy").path("backoffLimit");
        assertTrue(ptLimit.isIntegralNumber() && ptLimit.asInt() == 3, () -> "PyTorchJob backoffLimit: " + ptLimit);
        JsonNode tf = created(wf, ir, "tfjob").path("spec").path("tfReplicaSpecs");
        assertEquals(1, tf.path("Chief").path("replicas").asInt());
        assertEquals(3, tf.path("Worker").path("replicas").asInt());
        assertEquals(1, tf.path("PS").path("replicas").asInt());
        assertEquals(1, tf.path("Worker").path("template").path("spec").path("containers").get(0).path("resources")
                .path("limits").path("nvidia.com/gpu").asInt());
        JsonNode pt = created(wf, ir, "pytorchjob").path("spec").path("pytorchReplicaSpecs");
        assertEquals("pytorch", pt.path("Master").path("template").path("spec").path("containers").get(0).path("name").asText());
        // in an Istio-injected namespace the proxy outlives the replica's container and the job never completes;
        // the annotation is text (a YAML boolean would not decode into the pod's annotations)
        assertIstioSidecar("true", tf, List.of("Chief", "Worker", "PS"));
        assertIstioSidecar("false", pt, List.of("Master", "Worker"));
    }

    /** Each replica's pod template of {@code specs} is annotated {@code sidecar.istio.io/inject: expected}, as text. */
    private static void assertIstioSidecar(String expected, JsonNode specs, List<String> replicas) {
        for (String r : replicas) {
            JsonNode v = specs.path(r).path("template").path("metadata").path("annotations").path("sidecar.istio.io/inject");
            assertTrue(v.isTextual() && v.asText().equals(expected), () -> r + ": sidecar.istio.io/inject is " + v);
        }
    }

    /** A TrainJob's success is a `Complete` condition at no fixed index: a kubectl watcher step creates it. */
    @Test
    void trainJobsAreCreatedByAWatcherStepWithAValidManifest() throws IOException {
        Ir.Program ir = ir("trainjob.pipe", """
                import stdlib/training as training
                pipeline fit() -> (m: String) {
                  j = training.trainjob(name = "llm", image = "pytorch/pytorch:2.3.1", command = ["torchrun", "train.py"],
                                        model_dir = "s3://m/llm", nodes = 2, gpus = 4, istio_sidecar = "true")
                  output m = j.model
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        JsonNode script = template(wf, "trainjob").path("script");
        String source = script.path("source").asText();
        assertTrue(source.contains("kubectl get trainjob") && source.contains("Complete") && source.contains("Failed"));
        String heredoc = source.substring(source.indexOf("<<EOF\n") + 6, source.indexOf("\nEOF\n"));
        Map<String, String> values = Map.of("name", "llm", "model_dir", "s3://m/llm", "runtime", "torch-distributed",
                "image", "pytorch/pytorch:2.3.1", "command", "[\"torchrun\",\"train.py\"]", "nodes", "2", "gpus", "4",
                "istio_sidecar", "true");
        Matcher m = Pattern.compile("\\$\\{([a-z_]+)}").matcher(heredoc);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, Matcher.quoteReplacement(values.get(m.group(1))));
        }
        m.appendTail(b);
        JsonNode job = YAML.readTree(b.toString());
        assertValid(CrdSchema.load(crd("trainer.kubeflow.org_trainjobs.yaml")), job);
        assertEquals("torch-distributed", job.path("spec").path("runtimeRef").path("name").asText());
        // the trainer's pods (the runtime's `node` job) are annotated through a runtime patch, the annotation as text
        JsonNode node = job.at("/spec/runtimePatches/0/trainingRuntimeSpec/template/spec/replicatedJobs/0");
        assertEquals("node", node.path("name").asText());
        assertIstioSidecar("true", YAML.createObjectNode().set("node", node.path("template").path("spec")), List.of("node"));
        Ir.Component c = ir.components().values().stream().filter(x -> x.name().equals("trainjob")).findFirst().orElseThrow();
        assertEquals(List.of("kubectl"), c.requires());
        // docker.io/bitnami/kubectl has had no versioned tags since September 2025 and bitnamilegacy is frozen; the
        // script runs with sh, which the distroless registry.k8s.io/kubectl lacks: an image with both, pinned by tag
        assertTrue(c.image().matches("alpine/kubectl:\\d+\\.\\d+\\.\\d+"), c.image());
        assertEquals("[\"sh\"]", script.path("command").toString());
        assertEquals(c.image(), script.path("image").asText());
    }

    /** A call gives the watcher step another kubectl image (a mirror, a tag near the cluster's version). */
    @Test
    void aTrainJobCallCanRunTheWatcherInAnotherImage() throws IOException {
        Ir.Program ir = ir("trainjob.pipe", """
                import stdlib/training as training
                pipeline fit() -> (m: String) {
                  j = training.trainjob(name = "llm", image = "pytorch/pytorch:2.3.1", command = ["torchrun", "train.py"],
                                        model_dir = "s3://m/llm") with { image = "mirror.example.com/alpine/kubectl:1.35.3" }
                  output m = j.model
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        assertEquals("mirror.example.com/alpine/kubectl:1.35.3", template(wf, "trainjob").path("script").path("image").asText());
    }

    /** Resource specs, local ways and requirements survive the canonical JSON (a resumed run reads it back). */
    @Test
    void theIrOfResourceComponentsRoundTrips() throws IOException {
        Ir.Program ir = ir("both.pipe", """
                import stdlib/training as training
                import stdlib/serving as serving
                pipeline both() -> (url: String) {
                  t = training.trainjob(name = "x", image = "i", command = ["c"], model_dir = "s3://m")
                  f = training.tfjob(name = "x", image = "i", command = ["c"], model_dir = t.model)
                  d = serving.deploy(name = "x", model_uri = f.model)
                  output url = d.url
                }
                """);
        byte[] bytes = IrJson.canonicalBytes(ir);
        Ir.Program back = IrJson.read(bytes);
        // (records compare JsonNode numbers by class: an Int default is a LongNode before and an IntNode after)
        for (String k : ir.components().keySet()) {
            assertEquals(ir.components().get(k).resource(), back.components().get(k).resource(), k);
            assertEquals(ir.components().get(k).requires(), back.components().get(k).requires(), k);
        }
        assertEquals(new String(bytes, java.nio.charset.StandardCharsets.UTF_8),
                new String(IrJson.canonicalBytes(back), java.nio.charset.StandardCharsets.UTF_8));
        Ir.Component tf = back.components().values().stream().filter(x -> x.name().equals("tfjob")).findFirst().orElseThrow();
        assertNotNull(tf.resource().local().script() == null ? tf.resource().local().command() : tf.resource().local().script());
        assertEquals(".metadata.annotations[\"freestone.dev/model-dir\"]", tf.resource().outputs().get("model").jqFilter());
    }

    @Test
    void inferenceServicesApplyWithoutOwnerAndWaitForTheLoadedModel() throws IOException {
        Ir.Program ir = ir("serving.pipe", """
                import stdlib/serving as serving
                pipeline serve() -> (url: String) {
                  d = serving.deploy(name = "iris", model_uri = "s3://models/iris", format = "sklearn", min_replicas = 1,
                                     max_replicas = 4, canary_percent = 10)
                  output url = d.url
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        JsonNode isvc = created(wf, ir, "deploy");
        assertValid(CrdSchema.load(crd("serving.kserve.io_inferenceservices.yaml")), isvc);
        assertEquals(10, isvc.path("spec").path("predictor").path("canaryTrafficPercent").asInt());
        assertEquals("iris", isvc.path("metadata").path("name").asText());
        JsonNode t = template(wf, "deploy");
        JsonNode res = t.path("resource");
        assertEquals("apply", res.path("action").asText());
        assertFalse(res.has("setOwnerReference"), "the endpoint must outlive the workflow");
        assertEquals(Set.of("status.modelStatus.states.activeModelState == Loaded",
                "status.modelStatus.transitionStatus == UpToDate"), Set.copyOf(requirements(res.path("successCondition").asText())));
        String failure = res.path("failureCondition").asText();
        assertTrue(failure.contains("BlockedByFailedLoad") && failure.contains("InvalidSpec"), failure);
        assertConditionsParse(res);
        assertEquals("{.status.url}", t.path("outputs").path("parameters").get(0).path("valueFrom").path("jsonPath").asText());
        assertFalse(t.has("memoize"), "a resource step is not memoized");
    }

    @Test
    void katibExperimentsValidateAgainstTheCrdAndKatibsApiTypes() throws IOException {
        Ir.Program ir = ir("tuning.pipe", """
                import stdlib/tuning as tuning
                pipeline tune() -> (best: Map[String, String]) {
                  e = tuning.experiment(name = "mnist", metric = "accuracy", goal = 0.95, algorithm = "bayesianoptimization",
                    parameters = [tuning.Parameter(name = "lr", parameterType = "double",
                                    feasibleSpace = tuning.Space(min = "0.001", max = "0.1", step = "", list = [])),
                                  tuning.Parameter(name = "optimizer", parameterType = "categorical",
                                    feasibleSpace = tuning.Space(min = "", max = "", step = "", list = ["sgd", "adam"]))],
                    trial_parameters = [tuning.TrialParameter(name = "lr", reference = "lr"),
                                        tuning.TrialParameter(name = "optimizer", reference = "optimizer")],
                    trial_image = "python:3.12-slim",
                    trial_command = ["python3", "train.py", "--lr=\\${trialParameters.lr}",
                                     "--optimizer=\\${trialParameters.optimizer}"], max_trials = 20)
                  output best = e.best
                }
                """);
        ObjectNode wf = workflow(ir);
        assertValidWorkflow(wf);
        JsonNode exp = created(wf, ir, "experiment");
        assertValid(CrdSchema.load(crd("kubeflow.org_experiments.yaml")), exp);
        assertEquals(List.of(), katibSpecProblems(exp.path("spec")), () -> exp.toPrettyString());
        assertEquals(List.of(), katibWebhookProblems(exp.path("spec")), () -> exp.toPrettyString());
        assertEquals(20, exp.path("spec").path("maxTrialCount").asInt());
        JsonNode trialPod = exp.path("spec").path("trialTemplate").path("trialSpec").path("spec").path("template");
        assertEquals("--lr=${trialParameters.lr}", trialPod.path("spec").path("containers").get(0).path("command").get(2).asText());
        // Katib's docs ask for it in an Istio-injected namespace: the trial's Job does not complete while the proxy runs
        JsonNode inject = trialPod.path("metadata").path("annotations").path("sidecar.istio.io/inject");
        assertTrue(inject.isTextual() && inject.asText().equals("false"), () -> "sidecar.istio.io/inject is " + inject);
        JsonNode res = template(wf, "experiment").path("resource");
        assertEquals("status.completionTime", res.path("successCondition").asText());
        assertTrue(requirements(res.path("failureCondition").asText()).containsAll(failedAtEveryIndex(5)));
        assertTrue(res.path("setOwnerReference").asBoolean());
        assertConditionsParse(res);
    }

    /**
     * Katib's CRD keeps unknown fields (no structural schema), so the spec is also checked against the
     * {@code v1beta1.ExperimentSpec} of Katib's OpenAPI definitions, objects closed as the webhook decodes them.
     */
    private static List<String> katibSpecProblems(JsonNode spec) throws IOException {
        ObjectNode swagger = (ObjectNode) new ObjectMapper().readTree(crd("katib_v1beta1_swagger.json").toFile());
        ObjectNode defs = (ObjectNode) swagger.get("definitions");
        defs.forEach(KubeflowStdlibTest::close);
        ObjectNode root = new ObjectMapper().createObjectNode();
        root.put("$ref", "#/definitions/v1beta1.ExperimentSpec");
        root.set("definitions", defs);
        dropDanglingRefs(root, defs);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(root).validate(spec).stream()
                .map(ValidationMessage::getMessage).sorted().toList();
    }

    /**
     * What Katib's validating webhook (pkg/webhook/v1beta1/experiment/validator) checks beyond the types: each
     * trial parameter refers to a searched parameter and is used in the trial template as
     * {@code ${trialParameters.NAME}}, every such use names a trial parameter, and the counts fit in maxTrialCount.
     */
    private static List<String> katibWebhookProblems(JsonNode spec) {
        List<String> problems = new ArrayList<>();
        Set<String> searched = new java.util.HashSet<>();
        spec.path("parameters").forEach(p -> searched.add(p.path("name").asText()));
        String template = spec.path("trialTemplate").path("trialSpec").toString();
        Set<String> names = new java.util.HashSet<>();
        for (JsonNode t : spec.path("trialTemplate").path("trialParameters")) {
            String name = t.path("name").asText();
            names.add(name);
            if (!searched.contains(t.path("reference").asText())) {
                problems.add("trial parameter " + name + " refers to no parameter");
            }
            if (!template.contains("${trialParameters." + name + "}")) {
                problems.add("trial parameter " + name + " not found in the trial template");
            }
        }
        Matcher used = Pattern.compile("\\$\\{trialParameters\\.(.+?)}").matcher(template);
        while (used.find()) {
            if (!names.contains(used.group(1))) {
                problems.add(used.group() + " is no trial parameter");
            }
        }
        int max = spec.path("maxTrialCount").asInt();
        if (spec.path("parallelTrialCount").asInt() > max || spec.path("maxFailedTrialCount").asInt() > max) {
            problems.add("parallelTrialCount and maxFailedTrialCount must be at most maxTrialCount");
        }
        return problems;
    }

    private static void close(JsonNode schema) {
        if (schema instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties")) {
                o.put("additionalProperties", false);
            }
            o.forEach(KubeflowStdlibTest::close);
        }
    }

    /** A reference to a type outside Katib's definitions (Kubernetes core types) accepts anything. */
    private static void dropDanglingRefs(JsonNode node, ObjectNode defs) {
        if (node instanceof ObjectNode o) {
            if (o.has("$ref") && !defs.has(o.get("$ref").asText().replace("#/definitions/", ""))) {
                o.removeAll();
                return;
            }
            o.forEach(c -> dropDanglingRefs(c, defs));
        } else if (node.isArray()) {
            node.forEach(c -> dropDanglingRefs(c, defs));
        }
    }

    @Test
    void theNotebookRunKeepsItsOutputsAndNeedsPapermillLocally() {
        Ir.Program ir = ir("nb.pipe", """
                import stdlib/notebook as notebook
                pipeline nb(n: notebook.Notebook) -> (html: HTML) {
                  r = notebook.run(notebook = n, parameters = json({rows: 10}))
                  output html = r.html
                }
                """);
        Ir.Component c = ir.components().values().stream().filter(x -> x.name().equals("run")).findFirst().orElseThrow();
        assertEquals(List.of("papermill", "jupyter"), c.requires());
        assertNull(c.resource());
        assertTrue(c.script().source().contains("--parameters_yaml"));
    }

    // --- examples --------------------------------------------------------------------------------------------

    @Test
    void theKubeflowExamplesCompileToValidWorkflows() throws IOException {
        Path dir = SharedData.projectDir().resolve("examples/kubeflow");
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".pipe")).sorted().toList();
        }
        assertTrue(files.size() >= 5, "examples/kubeflow has " + files);
        for (Path f : files) {
            CheckResult r = Checker.check(new Source(f.toString(), Files.readString(f)), new ModuleLoader(), CheckOptions.DEFAULT);
            assertEquals("", new Renderer(false).render(r.diagnostics()), "diagnostics in " + f);
            List<Symbol.Pipeline> roots = r.program().pipelines();
            ObjectNode wf = workflow(IrBuilder.build(r.program(), roots.get(roots.size() - 1)));
            assertValidWorkflow(wf);
        }
    }
}
