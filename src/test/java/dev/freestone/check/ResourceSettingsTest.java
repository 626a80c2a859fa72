package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Renderer;
import dev.freestone.diag.Source;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code resource { ... }}, {@code local { ... }} and {@code requires}: what the checker accepts, normalizes and reports. */
class ResourceSettingsTest {

    private static final String GOOD = """
            component deploy(name: String, replicas: Int = 1, uri: String) -> (url: String, host: String) {
              resource {
                action   = "apply"
                manifest = \"""
                  apiVersion: serving.kserve.io/v1beta1
                  kind: InferenceService
                  metadata:
                    name: ${name}
                  spec:
                    predictor:
                      minReplicas: ${replicas}
                      model:
                        storageUri: ${uri}
                \"""
                success  = "status.modelStatus.states.activeModelState == Loaded"
                failure  = "status.modelStatus.transitionStatus in (BlockedByFailedLoad, InvalidSpec)"
                owner    = false
                outputs { url = "{.status.url}"  host = ".status.address.url" }
              }
              requires = ["kubectl"]
              local { command = ["echo", name, url] }
            }
            pipeline p() -> (url: String) {
              d = deploy(name = "iris", uri = "s3://m")
              output url = d.url
            }
            """;

    private static CheckResult check(String text) {
        return Checker.check(new Source("t.pipe", text), new ModuleLoader(), CheckOptions.DEFAULT);
    }

    private static String errors(String text) {
        CheckResult r = check(text);
        return new Renderer(false).render(r.diagnostics().stream().filter(Diagnostic::isError).toList());
    }

    @Test
    void aResourceComponentIsNormalized() {
        CheckResult r = check(GOOD);
        assertEquals("", new Renderer(false).render(r.diagnostics()));
        Symbol.Component c = r.program().components().stream().filter(x -> x.name().equals("deploy")).findFirst().orElseThrow();
        ComponentSettings s = r.program().settingsOf(c);
        assertNull(s.command());
        assertNull(s.script());
        assertEquals(List.of("kubectl"), s.requires());
        ComponentSettings.Resource res = s.resource();
        assertNotNull(res);
        assertEquals("apply", res.action());
        assertEquals(false, res.owner());
        assertEquals("InferenceService", res.manifest().path("kind").asText());
        assertEquals("${replicas}", res.manifest().path("spec").path("predictor").path("minReplicas").asText());
        assertEquals(new ComponentSettings.ResourceQuery("{.status.url}", null), res.outputs().get("url"));
        assertEquals(new ComponentSettings.ResourceQuery(null, ".status.address.url"),
                res.outputs().get("host"));
        assertEquals(3, res.local().command().size());
    }

    private static String replace(String from, String to) {
        assertTrue(GOOD.contains(from), from);
        return GOOD.replace(from, to);
    }

    @Test
    void manifestPlaceholdersNameParameterInputs() {
        String out = errors(replace("storageUri: ${uri}", "storageUri: ${ur}"));
        assertTrue(out.contains("error[E0101]: unknown name `ur`") && out.contains("did you mean `uri`?"), out);
        assertTrue(out.contains("storageUri: ${ur}") && out.contains("^^^^^"), out);
    }

    @Test
    void gjsonQueriesAreNotArgoConditions() {
        String out = errors(replace("status.modelStatus.states.activeModelState == Loaded",
                "status.conditions.#(type==\\\"Ready\\\").status == True"));
        assertTrue(out.contains("setting `resource.success` expects an Argo resource condition"), out);
        assertTrue(out.contains("numeric indices"), out);
    }

    @Test
    void everyOutputSaysWhereItComesFrom() {
        String out = errors(replace("  host = \".status.address.url\"", ""));
        assertTrue(out.contains("component `deploy` does not say where its output `host` comes from"), out);
    }

    @Test
    void theManifestIsAKubernetesObject() {
        String out = errors(replace("kind: InferenceService", "kinds: InferenceService"));
        assertTrue(out.contains("setting `resource.manifest` expects a Kubernetes object in YAML, found `no `kind``"), out);
    }

    @Test
    void localNeedsOneWayAndAResource() {
        String both = errors(replace("local { command = [\"echo\", name, url] }",
                "local { command = [\"echo\"]  unavailable = \"no\" }"));
        assertTrue(both.contains("has a `local` block with `command` and `unavailable`"), both);
        String alone = errors("""
                component c() {
                  image = "alpine:3.20"
                  command = ["true"]
                  local { command = ["true"] }
                }
                """);
        assertTrue(alone.contains("component `c` has `local` but no `resource`"), alone);
        String container = errors(replace("requires = [\"kubectl\"]", "command = [\"kubectl\"]"));
        assertTrue(container.contains("has both `resource` and `command`"), container);
    }

    @Test
    void argoConditionSyntax() {
        assertEquals(List.of(), ArgoCondition.problems("status.completionTime"));
        assertEquals(List.of(), ArgoCondition.problems("status.a == X, !status.b, status.c in (A, B), status.n > 2"));
        assertEquals(1, ArgoCondition.problems("status.n > two").size());
        assertEquals(1, ArgoCondition.problems("status." + "x".repeat(60) + " == A").size());
        assertEquals(1, ArgoCondition.problems("status.phase == not/a/value").size());
        assertEquals(1, ArgoCondition.problems("").size());
    }
}
