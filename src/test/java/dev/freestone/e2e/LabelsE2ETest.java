package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `run --label KEY=VALUE` files a run under labels, as `argo submit -l` and KFP's experiments do: `runs --label` lists
 * the runs that have them (a key alone: any value; several: all of them), `show` and the JSON outputs carry them, and
 * `resume` files the continuation under the same ones.
 */
class LabelsE2ETest {
    @TempDir
    Path tmp;

    @Test
    void runsAreFiledUnderLabelsAndListedByThem() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String hello = Freestone.example("hello/hello.pipe").toString();
        String baseline = fs.cli("run", hello, "-l", "experiment=baseline", "--label", "team=nlp", "--progress", "none")
                .expect(0).runId();
        String sweep = fs.cli("run", hello, "--label", "experiment=lr-sweep", "--progress", "none").expect(0).runId();
        String plain = fs.cli("run", hello, "--progress", "none").expect(0).runId();

        Freestone.Result all = fs.cli("runs").expect(0);
        assertTrue(all.out().lines().findFirst().orElseThrow().endsWith("LABELS"), all.out());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith(baseline) && l.endsWith("experiment=baseline team=nlp")),
                all.out());
        assertTrue(all.out().lines().anyMatch(l -> l.startsWith(plain) && !l.contains("=")), all.out());

        assertEquals(java.util.List.of(sweep, baseline), ids(fs.cli("runs", "--label", "experiment").expect(0)));
        assertEquals(java.util.List.of(baseline), ids(fs.cli("runs", "-l", "experiment=baseline", "-l", "team").expect(0)));
        assertEquals(java.util.List.of(), ids(fs.cli("runs", "-l", "experiment=lr-sweep", "-l", "team").expect(0)));
        assertEquals("no runs labelled experiment=nope\n", fs.cli("runs", "-l", "experiment=nope").expect(0).out());

        JsonNode shown = fs.show(baseline);
        assertEquals("baseline", shown.path("labels").path("experiment").asText(), shown.toString());
        assertEquals(0, fs.show(plain).path("labels").size());
        assertTrue(fs.cli("show", baseline).expect(0).out().contains("\nlabels   experiment=baseline team=nlp\n"));
        assertFalse(fs.cli("show", plain).expect(0).out().contains("labels"));
    }

    @Test
    void aLabelThatKubernetesWouldRefuseIsAUsageError() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String hello = Freestone.example("hello/hello.pipe").toString();
        assertTrue(fs.cli("run", hello, "-l", "bad key=x").expect(2).err()
                .startsWith("error: --label bad key=x: `bad key` is not a label key\n  = help: a label is KEY=VALUE"));
        assertTrue(fs.cli("run", hello, "-l", "k=" + "v".repeat(64)).expect(2).err().contains("is not a label value"));
        assertTrue(fs.cli("run", hello, "-l", "novalue").expect(2).err().startsWith("error: --label novalue has no value"));
        assertTrue(fs.cli("run", hello, "-l", "a=1", "-l", "a=2").expect(2).err()
                .startsWith("error: --label a is given twice (1, 2)"));
        assertTrue(fs.cli("run", hello, "-l", "freestone.dev/pipeline=x").expect(2).err()
                .contains("the prefix freestone.dev/ is kept for Freestone's own labels"));
        // a prefix of the user's own and an empty value are labels
        String ok = fs.cli("run", hello, "-l", "example.com/owner=ada", "-l", "draft=", "--progress", "none").expect(0).runId();
        assertEquals("ada", fs.show(ok).path("labels").path("example.com/owner").asText());
        assertEquals("", fs.show(ok).path("labels").path("draft").asText());
        try (var store = fs.openStore()) {
            assertEquals(1, store.listRuns(java.util.Optional.empty(), 0).size(), "the refused runs were not recorded");
        }
    }

    @Test
    void resumeFilesTheContinuationUnderTheSameLabels() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path marker = Files.writeString(tmp.resolve("fail"), "");
        Path p = Freestone.pipe(tmp, "fails.pipe", """
                component check(marker: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "test ! -e \\"$0\\"", marker]
                }

                pipeline fails(marker: String) {
                  check(marker = marker)
                }
                """);
        String failed = fs.cli("run", p.toString(), "-p", "marker=" + marker, "-l", "experiment=retry", "--progress", "none")
                .expect(1).runId();
        Files.delete(marker);
        String resumed = fs.cli("resume", failed, "--progress", "none").expect(0).runId();
        assertEquals("retry", fs.show(resumed).path("labels").path("experiment").asText());
        assertEquals(java.util.List.of(resumed, failed), ids(fs.cli("runs", "-l", "experiment=retry").expect(0)));
    }

    /** The run ids of a `runs` listing, newest first. */
    private static java.util.List<String> ids(Freestone.Result listing) {
        return listing.out().lines().skip(1).filter(l -> l.startsWith("run-")).map(l -> l.split(" ")[0]).toList();
    }
}
