package dev.freestone.runtime.argo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.runtime.argo.TaskNodes.TaskView;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.TaskState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/** Node-to-task mapping, pod names, node status decoding and the small text helpers; no cluster, no shared data. */
class TaskNodesTest {

    private static ObjectNode json(String text) {
        return ArgoJson.parseObject(text.replace('\'', '"'), "test JSON");
    }

    private static ObjectNode workflow(String annotations, String nodes) {
        return json("{'metadata':{'name':'wf','namespace':'ns','annotations':" + annotations + "},"
                + "'spec':{'templates':[{'name':'train-1a2b','metadata':{'annotations':{'freestone.dev/component':'train'}}}]},"
                + "'status':{'phase':'Running','nodes':" + nodes + "}}");
    }

    private static Map<String, TaskView> tasks(ObjectNode wf) {
        return TaskNodes.of(wf, (ObjectNode) wf.path("status").path("nodes")).stream()
                .collect(Collectors.toMap(TaskView::taskId, v -> v));
    }

    @Test
    void thePipelinesOutputsAreTheRootNodesParametersAndArtifactLocationsNeverTheirCredentials() {
        ObjectNode wf = workflow("{}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Succeeded','children':[],
                       'outputs':{'parameters':[{'name':'accuracy','value':'0.91'}],
                                  'artifacts':[{'name':'model','s3':{'bucket':'b','key':'wf/model.tgz',
                                                'accessKeySecret':{'name':'cred','key':'accesskey'}}}]}}}
                """);
        assertEquals("{\"accuracy\":\"0.91\",\"model\":{\"type\":null,\"digest\":null,\"uri\":\"s3://b/wf/model.tgz\"}}",
                ArgoJson.write(TaskNodes.pipelineOutputs(wf, (ObjectNode) wf.path("status").path("nodes")).orElseThrow()));
        ObjectNode none = workflow("{}", "{'wf':{'id':'wf','name':'wf','type':'DAG','phase':'Succeeded'}}");
        assertEquals(Optional.empty(), TaskNodes.pipelineOutputs(none, (ObjectNode) none.path("status").path("nodes")));
    }

    @Test
    void loopIterationsBecomeIndexedTasksAndRetryChildrenBecomeAttempts() {
        ObjectNode wf = workflow("{}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Running','children':['g']},
                 'g':{'id':'g','name':'wf.fit','displayName':'fit','type':'TaskGroup','boundaryID':'wf','phase':'Running',
                      'children':['i0','i1']},
                 'i0':{'id':'i0','name':'wf.fit(0:0.1)','displayName':'fit(0:0.1)','type':'Pod','boundaryID':'wf',
                       'templateName':'train-1a2b','phase':'Succeeded','startedAt':'2026-01-01T00:00:01Z',
                       'finishedAt':'2026-01-01T00:00:05Z',
                       'outputs':{'exitCode':'0','parameters':[{'name':'accuracy','value':'0.91'}],
                                  'artifacts':[{'name':'main-logs','s3':{'key':'l'}},
                                               {'name':'model','s3':{'bucket':'b','key':'wf/model.tgz',
                                                'accessKeySecret':{'name':'cred','key':'accesskey'}}}]}},
                 'i1':{'id':'i1','name':'wf.fit(1:0.03)','displayName':'fit(1:0.03)','type':'Retry','boundaryID':'wf',
                       'templateName':'train-1a2b','phase':'Running','startedAt':'2026-01-01T00:00:02Z',
                       'children':['a0','a1']},
                 'a1':{'id':'a1','name':'wf.fit(1:0.03)(1)','displayName':'fit(1:0.03)(1)','type':'Pod','boundaryID':'wf',
                       'templateName':'train-1a2b','phase':'Running','startedAt':'2026-01-01T00:00:09Z'},
                 'a0':{'id':'a0','name':'wf.fit(1:0.03)(0)','displayName':'fit(1:0.03)(0)','type':'Pod','boundaryID':'wf',
                       'templateName':'train-1a2b','phase':'Failed','message':'OOMKilled (exit code 137)',
                       'startedAt':'2026-01-01T00:00:02Z','finishedAt':'2026-01-01T00:00:08Z','outputs':{'exitCode':'137'}}}
                """);
        Map<String, TaskView> tasks = tasks(wf);
        assertEquals(List.of("fit[0]", "fit[1]"), tasks.keySet().stream().sorted().toList());
        TaskView first = tasks.get("fit[0]");
        assertEquals(TaskState.Succeeded, first.state());
        assertEquals("train", first.component());
        assertEquals("fit[0] (0.1)", first.name());
        assertEquals(Optional.of(0), first.exitCode());
        assertEquals("0.91", first.outputs().path("accuracy").asText());
        assertEquals(List.of(new TaskNodes.ArtifactView("model", "s3://b/wf/model.tgz")), first.artifacts());
        TaskView second = tasks.get("fit[1]");
        assertEquals(TaskState.Running, second.state());
        assertEquals(2, second.attempts().size());
        assertEquals(Optional.of(137), second.attempts().get(0).exitCode());
        assertEquals(2, second.attempts().get(1).number());
        assertEquals("wf-train-1a2b-" + Integer.toUnsignedString(PodNames.fnv32a("wf.fit(1:0.03)(1)")),
                second.attempts().get(1).podName());
    }

    @Test
    void wrappersCarryTheirIndexAndSubPipelinesAddSegments() {
        ObjectNode wf = workflow("{'freestone.dev/wrappers':'[\\'loop-1\\']','freestone.dev/task-ids':'{\\'load-csv\\':\\'load_csv\\'}'}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Running'},
                 'l':{'id':'l','name':'wf.load-csv','displayName':'load-csv','type':'Pod','boundaryID':'wf','phase':'Succeeded','templateName':'t'},
                 'w0':{'id':'w0','name':'wf.loop-1(0:a)','displayName':'loop-1(0:a)','type':'DAG','boundaryID':'wf','phase':'Running'},
                 'f0':{'id':'f0','name':'wf.loop-1(0:a).fit','displayName':'fit','type':'Pod','boundaryID':'w0','phase':'Running','templateName':'t'},
                 'o0':{'id':'o0','name':'wf.outer(0:x)','displayName':'outer(0:x)','type':'DAG','boundaryID':'wf','phase':'Running'},
                 'n1':{'id':'n1','name':'wf.outer(0:x).inner(1:y)','displayName':'inner(1:y)','type':'Pod','boundaryID':'o0','phase':'Pending','templateName':'t'}}
                """);
        Map<String, TaskView> tasks = tasks(wf);
        assertEquals(List.of("fit[0]", "load_csv", "outer[0]", "outer[0]/inner[1]"),
                tasks.keySet().stream().sorted().toList());
        assertEquals(TaskState.Pending, tasks.get("outer[0]/inner[1]").state());
        assertTrue(tasks.get("outer[0]/inner[1]").pendingPod().isPresent());
        assertTrue(tasks.get("outer[0]/inner[1]").startedAt().isEmpty());
    }

    @Test
    void eachIterationsItemIsReadFromTheInputItsTemplateNamesNotFromItsDisplayName() {
        // the shapes Argo v4 writes: a map item's displayName as sorted key:value pairs, a text without quotes, the
        // item itself in the iteration node's inputs; the templates say which input holds it and how
        ObjectNode wf = workflow("{'freestone.dev/wrappers':'[\\'for-lr\\',\\'for-tag\\',\\'for-cfg\\',\\'for-old\\',\\'fs-body\\']'}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Running'},
                 'l1':{'id':'l1','name':'wf.for-lr(1:1e-05)','displayName':'for-lr(1:1e-05)','type':'DAG','boundaryID':'wf',
                       'templateName':'main-for-lr','phase':'Running'},
                 't0':{'id':'t0','name':'wf.for-lr(1:1e-05).for-tag(0:i:0,v:a)','displayName':'for-tag(0:i:0,v:a)',
                       'type':'DAG','boundaryID':'l1','templateName':'main-for-lr-for-tag-item','phase':'Running'},
                 'b0':{'id':'b0','name':'wf.x.fs-body','displayName':'fs-body','type':'DAG','boundaryID':'t0','phase':'Running',
                       'templateName':'main-for-lr-for-tag'},
                 'f0':{'id':'f0','name':'wf.x.fit','displayName':'fit','type':'Pod','boundaryID':'b0','phase':'Running',
                       'templateName':'train-1a2b'},
                 'c0':{'id':'c0','name':'wf.for-cfg(0:lr:1,tag:z)','displayName':'for-cfg(0:lr:1,tag:z)','type':'DAG',
                       'boundaryID':'wf','templateName':'main-for-cfg','phase':'Running'},
                 's0':{'id':'s0','name':'wf.for-cfg(0:lr:1,tag:z).s','displayName':'s','type':'Pod','boundaryID':'c0',
                       'phase':'Running','templateName':'train-1a2b'},
                 'n0':{'id':'n0','name':'wf.for-old(0:x)','displayName':'for-old(0:x)','type':'DAG','boundaryID':'wf',
                       'templateName':'main-for-old','phase':'Running'},
                 'o0':{'id':'o0','name':'wf.for-old(0:x).o','displayName':'o','type':'Pod','boundaryID':'n0',
                       'phase':'Running','templateName':'train-1a2b'}}
                """);
        ObjectNode nodes = (ObjectNode) wf.path("status").path("nodes");
        input(nodes, "l1", "lr", "1e-05");
        input(nodes, "l1", "fs-key", "k");
        input(nodes, "t0", "fs-item", "{\"i\":\"0\",\"v\":\"a \\\"b\\\"\"}");
        input(nodes, "c0", "cfg", "{\"tag\":\"z\",\"lr\":1.0}");
        input(nodes, "n0", "x", "x");
        loopItemNote(wf, "main-for-lr", "{\"name\":\"lr\",\"parameter\":\"lr\",\"as\":\"float\"}");
        loopItemNote(wf, "main-for-lr-for-tag-item", "{\"name\":\"tag\",\"parameter\":\"fs-item\",\"as\":\"item-text\"}");
        loopItemNote(wf, "main-for-cfg", "{\"name\":\"cfg\",\"parameter\":\"cfg\",\"as\":\"json\"}");
        Map<String, TaskView> tasks = tasks(wf);
        assertEquals(List.of("fit[1][0]", "o[0]", "s[0]"), tasks.keySet().stream().sorted().toList());
        assertEquals(List.of(new LoopItem("lr", "1e-05"), new LoopItem("tag", "\"a \\\"b\\\"\"")),
                tasks.get("fit[1][0]").items());
        // a structure's keys in Go's order, as the engine hands it over
        assertEquals(List.of(new LoopItem("cfg", "{\"lr\":1.0,\"tag\":\"z\"}")), tasks.get("s[0]").items());
        // a Workflow that does not say (lowered before items were recorded): the iteration has none
        assertEquals(List.of(), tasks.get("o[0]").items());
    }

    private static void input(ObjectNode nodes, String node, String name, String value) {
        ((ObjectNode) nodes.get(node)).with("inputs").withArray("parameters").addObject().put("name", name).put("value", value);
    }

    private static void loopItemNote(ObjectNode wf, String template, String note) {
        ((com.fasterxml.jackson.databind.node.ArrayNode) wf.with("spec").withArray("templates")).addObject()
                .put("name", template).with("metadata").with("annotations").put(TaskNodes.LOOP_ITEM, note);
    }

    @Test
    void phasesMapToTaskStates() {
        ObjectNode wf = workflow("{}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Failed'},
                 'a':{'id':'a','name':'wf.a','displayName':'a','type':'Pod','boundaryID':'wf','phase':'Error','children':['b']},
                 'b':{'id':'b','name':'wf.b','displayName':'b','type':'Skipped','boundaryID':'wf','phase':'Omitted',
                      'message':'omitted: depends condition not met'},
                 'c':{'id':'c','name':'wf.c','displayName':'c','type':'Pod','boundaryID':'wf','phase':'Succeeded',
                      'memoizationStatus':{'hit':true,'key':'k','cacheName':'c'}}}
                """);
        Map<String, TaskView> tasks = tasks(wf);
        assertEquals(TaskState.Failed, tasks.get("a").state());
        assertEquals(TaskState.Skipped, tasks.get("b").state());
        // in the run store's words, naming the task it waited for, as a local run says it
        assertEquals(Optional.of("skipped: `a` failed"), tasks.get("b").message());
        assertEquals(TaskState.Cached, tasks.get("c").state());
    }

    @Test
    void shutdownFailuresAreCancellations() {
        ObjectNode wf = workflow("{}", """
                {'wf':{'id':'wf','name':'wf','displayName':'wf','type':'DAG','phase':'Failed'},
                 'a':{'id':'a','name':'wf.a','displayName':'a','type':'Pod','boundaryID':'wf','phase':'Failed',
                      'message':'workflow shutdown with strategy:  Terminate'}}
                """);
        ((ObjectNode) wf.get("spec")).put("shutdown", "Terminate");
        ((ObjectNode) wf.get("status")).put("phase", "Failed");
        assertEquals(TaskState.Cancelled, tasks(wf).get("a").state());
        assertEquals(dev.freestone.runtime.store.RunStatus.Cancelled, RunMirror.runStatus(wf));
    }

    @Test
    void podNamesFollowArgosV2Format() {
        ObjectNode wf = json("{'metadata':{'name':'exit-handlers-n7s4n'}}");
        ObjectNode node = json("{'id':'exit-handlers-n7s4n-2699669595','name':'exit-handlers-n7s4n.onExit[0].cry',"
                + "'templateName':'cry'}");
        assertEquals("exit-handlers-n7s4n-cry-2699669595", PodNames.of(wf, node));
        ObjectNode root = json("{'id':'exit-handlers-n7s4n','name':'exit-handlers-n7s4n','templateName':'x'}");
        assertEquals("exit-handlers-n7s4n", PodNames.of(wf, root));
        ObjectNode v1 = json("{'metadata':{'name':'w','annotations':{'workflows.argoproj.io/pod-name-format':'v1'}}}");
        assertEquals("exit-handlers-n7s4n-2699669595", PodNames.of(v1, node));
    }

    @Test
    void compressedNodesAreDecodedAndGarbageIsReported() throws IOException {
        String nodes = "{\"n\":{\"id\":\"n\",\"phase\":\"Running\"}}";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(nodes.getBytes(StandardCharsets.UTF_8));
        }
        ObjectNode wf = json("{'status':{'compressedNodes':'" + Base64.getEncoder().encodeToString(bytes.toByteArray())
                + "'}}");
        NodeStatuses decoded = NodeStatuses.of(wf);
        assertInstanceOf(NodeStatuses.Present.class, decoded);
        assertEquals("Running", ((NodeStatuses.Present) decoded).nodes().path("n").path("phase").asText());
        assertInstanceOf(NodeStatuses.Unreadable.class, NodeStatuses.of(json("{'status':{'compressedNodes':'%%%'}}")));
        assertInstanceOf(NodeStatuses.Offloaded.class,
                NodeStatuses.of(json("{'status':{'offloadNodeStatusVersion':'fnv:1'}}")));
    }

    @Test
    void serverSentEventsSkipKeepAlivesAndJoinDataLines() throws IOException {
        String stream = ": keep-alive\n\ndata: {\"a\":1}\n\n:\ndata: {\"b\":\ndata: 2}\n\n{\"c\":3}\n";
        List<String> payloads = new ArrayList<>();
        ServerSentEvents.read(new BufferedReader(new StringReader(stream)), payloads::add);
        assertEquals(List.of("{\"a\":1}", "{\"b\":\n2}", "{\"c\":3}"), payloads);
    }

    @Test
    void secretsAreRedactedAndTokensNeverPrinted() {
        Secrets secrets = Secrets.of("Bearer s3cr3t-token-value", null, "abc");
        assertEquals("header was [redacted] and [redacted]; abc stays",
                secrets.redact("header was Bearer s3cr3t-token-value and s3cr3t-token-value; abc stays"));
        BearerToken token = BearerToken.resolve(Optional.empty(), Map.of("ARGO_TOKEN", "v2:abcdefgh")).orElseThrow();
        assertEquals("token from ARGO_TOKEN", token.toString());
        assertEquals("Bearer v2:abcdefgh", token.header());
        assertFalse(new ArgoTarget.ArgoServer(java.net.URI.create("https://h:2746"), "ns", Optional.of(token), false)
                .toString().contains("abcdefgh"));
        assertEquals("token from --token",
                BearerToken.resolve(Optional.of("x-token"), Map.of("ARGO_TOKEN", "y")).orElseThrow().source());
    }
}
