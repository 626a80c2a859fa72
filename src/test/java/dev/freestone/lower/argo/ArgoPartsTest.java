package dev.freestone.lower.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The small parsers behind the lint: depends expressions, cron schedules, references, Kubernetes names, paths. */
class ArgoPartsTest {
    @Test
    void dependsExpressions() {
        Depends.Parsed p = Depends.parse("A && (C.Succeeded || C.Failed) && !should-not-run.Skipped");
        assertEquals(Optional.empty(), p.error());
        assertEquals(List.of("A", "C", "C", "should-not-run"), p.dependencies().stream().map(Depends.Dependency::task).toList());
        assertEquals(Optional.of("Skipped"), p.dependencies().get(3).result());
        assertEquals(Optional.of("missing `)` at the end"), Depends.parse("(a || b").error());
        assertEquals(Optional.of("unexpected `)` at column 2"), Depends.parse("a)").error());
        assertEquals(Optional.of("the expression is empty"), Depends.parse("  ").error());
        assertEquals(Optional.of("expected a task name at column 5, found `|`"), Depends.parse("a ||| b").error());
        assertTrue(Depends.parse("b.AnySucceeded || c.AllFailed || d.Daemoned || e.Errored || f.Omitted").error().isEmpty());
    }

    @Test
    void cronSchedules() {
        for (String ok : List.of("*/3 * * * *", "0 6 * * MON-FRI", "0 0 1,15 * *", "30 2 * jan-mar sun", "@daily",
                "@every 1h30m", "CRON_TZ=Europe/Paris 0 6 * * *", "0-59/5 0-23 1-31 1-12 0-6", "0 0 ? * *")) {
            assertEquals(Optional.empty(), CronSchedule.problem(ok), ok);
        }
        assertEquals(Optional.of("hour `24`: 24 is outside 0-23"), CronSchedule.problem("0 24 * * *"));
        assertEquals(Optional.of("minute `*/0`: step `0` must be a positive number"), CronSchedule.problem("*/0 * * * *"));
        assertEquals(Optional.of("day of month `5-2`: range `5-2` ends before it starts"), CronSchedule.problem("0 0 5-2 * *"));
        assertEquals(Optional.of("day of week `7`: 7 is outside 0-6"), CronSchedule.problem("0 0 * * 7"));
        assertEquals(Optional.of("`1x` is not a duration"), CronSchedule.problem("@every 1x"));
        assertEquals(Optional.of("expected 5 fields (minute hour day-of-month month day-of-week), found 0"),
                CronSchedule.problem(""));
    }

    @Test
    void references() {
        List<References.Reference> refs = References.in(
                "{{inputs.parameters.a}} {{ workflow.name }} {{item}} {{foo.bar}} {{=tasks['t-1'].outputs.result + "
                        + "sprig.trim(inputs.parameters.b) + 'inputs.parameters.c' + x.inputs + asInt(item.n)}} {{unclosed");
        assertEquals(List.of("inputs.parameters.a", "workflow.name", "item", "tasks.t-1.outputs.result",
                "inputs.parameters.b", "item.n"), refs.stream().map(References.Reference::dotted).toList());
        assertEquals(List.of("workflow", "labels", "app.kubernetes.io/name"),
                References.in("{{workflow.labels.app.kubernetes.io/name}}").get(0).segments());
    }

    @Test
    void kubernetesNames() {
        assertEquals(Optional.empty(), KubeNames.subdomain("train-iris.v2", 63));
        assertTrue(KubeNames.subdomain("Train", 63).isPresent());
        assertTrue(KubeNames.subdomain("train-", 63).isPresent());
        assertEquals(Optional.empty(), KubeNames.generateName("train-", 63, 5));
        assertEquals(Optional.empty(), KubeNames.qualifiedKey("app.kubernetes.io/name"));
        assertTrue(KubeNames.qualifiedKey("App.io/x").isPresent());
        assertTrue(KubeNames.qualifiedKey("a/b/c").isPresent());
        assertEquals(Optional.empty(), KubeNames.labelValue(""));
        assertTrue(KubeNames.labelValue("x".repeat(64)).isPresent());
    }

    @Test
    void pathsRenderAndSortInDocumentOrder() {
        ManifestPath a = ManifestPath.root().field("spec").field("templates").index(2);
        ManifestPath b = ManifestPath.root().field("spec").field("templates").index(10);
        assertTrue(a.compareTo(b) < 0);
        assertEquals("$.spec.templates[2]", a.toString());
        ManifestPath label = ManifestPath.root().field("metadata").field("labels").field("app.io/name");
        assertEquals("$.metadata.labels['app.io/name']", label.toString());
        assertEquals(label, ManifestPath.parse(label.toString()));
        assertEquals(b, ManifestPath.parse("spec.templates[10]"));
    }
}
