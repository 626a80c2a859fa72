package dev.freestone.runtime.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.LineageRecord;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.testing.CliRun;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An Argo run's inputs: the mirror records the locations the controller resolved into each pod's
 * {@code inputs.artifacts} as lineage rows (no digest), and {@code freestone lineage} follows a remote artifact
 * from its producer to its consumers and back by location.
 */
class ArgoLineageTest {
    @TempDir
    Path home;

    private static final String NODES = """
            {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Succeeded','children':['p']},
             'p':{'id':'p','name':'wf.prepare','displayName':'prepare','type':'Pod','boundaryID':'wf',
                  'templateName':'step','phase':'Succeeded','children':['t'],
                  'outputs':{'exitCode':'0','artifacts':[{'name':'main-logs','s3':{'key':'wf/p/main.log'}},
                                                         {'name':'data','s3':{'key':'wf/p/data.tgz'}}]}},
             't':{'id':'t','name':'wf.train','displayName':'train','type':'Pod','boundaryID':'wf',
                  'templateName':'step','phase':'Succeeded','children':['e'],
                  'inputs':{'artifacts':[{'name':'data','path':'/tmp/inputs/data','s3':{'key':'wf/p/data.tgz'}}]},
                  'outputs':{'exitCode':'0','artifacts':[{'name':'model','s3':{'key':'wf/t/model.tgz'}}]}},
             'e':{'id':'e','name':'wf.evaluate','displayName':'evaluate','type':'Pod','boundaryID':'wf',
                  'templateName':'step','phase':'Succeeded',
                  'inputs':{'artifacts':[{'name':'model','path':'/tmp/inputs/model','s3':{'key':'wf/t/model.tgz'}}]},
                  'outputs':{'exitCode':'0'}}}
            """;

    @Test
    void aRemoteArtifactIsFollowedByItsLocation() {
        String runId;
        try (RunStore store = RunStore.open(home)) {
            runId = store.createRun(new NewRun("flow", "v", "flow.pipe", "d", Optional.empty(), "{}", Backend.Argo,
                    Optional.of(new RemoteRef("ns", "wf")))).id();
            ObjectNode wf = ArgoJson.parseObject(("{'metadata':{'name':'wf','namespace':'ns'},'spec':{'templates':"
                    + "[{'name':'step','metadata':{'annotations':{'freestone.dev/component':'step'}}}]},"
                    + "'status':{'phase':'Succeeded','nodes':" + NODES + "}}").replace('\'', '"'), "test JSON");
            RunMirror mirror = new RunMirror(store, RunMirror.requireRun(store, runId), Clock.systemUTC(), e -> { });
            mirror.apply(wf, NodeStatuses.of(wf), pod -> Optional.empty());
            // applied again, nothing is written twice
            mirror.apply(wf, NodeStatuses.of(wf), pod -> Optional.empty());
            assertEquals(Set.of(
                    new LineageRecord(runId, "train", "data", Optional.empty(), "s3://wf/p/data.tgz"),
                    new LineageRecord(runId, "evaluate", "model", Optional.empty(), "s3://wf/t/model.tgz")),
                    Set.copyOf(store.lineage(runId)));
            assertEquals(2, store.lineage(runId).size());
        }
        Map<String, String> env = Map.of("FREESTONE_HOME", home.toString());
        CliRun up = CliRun.command(env, "lineage", runId, "train.model");
        assertEquals(0, up.code(), up.err());
        assertTrue(up.out().startsWith("train.model of run " + runId + " (s3://wf/t/model.tgz), Artifact\n"), up.out());
        assertTrue(up.out().contains("\ntrain.model  run " + runId + "\n  data <- prepare.data\n"), up.out());
        assertTrue(up.out().contains("(Argo)"), up.out());
        CliRun down = CliRun.command(env, "lineage", runId, "prepare", "--downstream");
        assertEquals(0, down.code(), down.err());
        assertTrue(down.out().contains("\ntrain, input data  run " + runId + "\n  model -> evaluate, input model\n"),
                down.out());
    }
}
