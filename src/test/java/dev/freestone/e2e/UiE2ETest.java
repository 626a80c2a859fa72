package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone ui} as a user meets it: runs made with the CLI, then the server started as its own process on a free
 * port and read over HTTP, each page against what the run produced; a mistake in a URL is a page saying so.
 */
class UiE2ETest {
    @TempDir
    static Path tmp;

    private static Freestone fs;
    private static Process server;
    private static String base;
    private static String sweep;
    private static String other;
    private static String failed;
    private static String reports;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static final String SCRIPT = "<script>alert(1)</script>";

    @BeforeAll
    static void runsAndServer() throws Exception {
        fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "sweep.pipe", """
                component fit(lr: Float, who: String) -> (model: Model, metrics: Metrics, data: Dataset) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import json, os
                    print("fitting for " + os.environ["who"])
                    for i in range(5):
                        print("line", i)
                    open(os.environ["model"], "w").write("weights " + os.environ["lr"])
                    json.dump({"accuracy": round(1 - float(os.environ["lr"]), 2)}, open(os.environ["metrics"], "w"))
                    os.makedirs(os.path.join(os.environ["data"], "part"))
                    open(os.path.join(os.environ["data"], "part", "a.csv"), "w").write("x\\n1\\n")
                  \"""
                }
                component hello(who: String) {
                  image   = "alpine:3.20"
                  command = ["echo", "hello", who]
                }
                pipeline sweep(lr: Float = 0.1, who: String = "you") -> (model: Model) {
                  f = fit(lr = lr, who = who)
                  for w in ["ann", "bob"] {
                    hello(who = w)
                  }
                  output model = f.model
                }
                """);
        sweep = fs.cli("run", "--progress", "none", p.toString(), "--param", "who=" + SCRIPT).expect(0).runId();
        other = fs.cli("run", "--progress", "none", p.toString(), "--param", "lr=0.3", "--label", "experiment=lr3")
                .expect(0).runId();
        Path q = Freestone.pipe(tmp, "boom.pipe", """
                component boom() -> (s: String) {
                  image  = "python:3.12-slim"
                  script = python \"""
                    import sys
                    print("going down")
                    sys.exit(3)
                  \"""
                }
                component hello(who: String) {
                  image   = "alpine:3.20"
                  command = ["echo", "hello", who]
                }
                pipeline crash() {
                  a = boom()
                  hello(who = a.s)
                }
                """);
        failed = fs.cli("run", "--progress", "none", q.toString()).expect(1).runId();
        reports = fs.cli("run", "--progress", "none", Freestone.pipe(tmp, "reports.pipe", REPORTS).toString()).expect(0).runId();
        server = fs.start(tmp.resolve("ui"), List.of(), "ui", "--port", "0");
        Path out = tmp.resolve("ui").resolve("out.txt");
        Pattern at = Pattern.compile("Freestone UI at (http://127\\.0\\.0\\.1:[0-9]+)/\n");
        assertTrue(Freestone.eventually(30_000, () -> at.matcher(Freestone.read(out)).find()),
                () -> Freestone.read(out) + Freestone.read(tmp.resolve("ui").resolve("err.txt")));
        Matcher m = at.matcher(Freestone.read(out));
        assertTrue(m.find());
        base = m.group(1);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            // Ctrl-C's SIGTERM sibling: the server stops and the command ends with 0
            server.destroy();
            Freestone.Result r = Freestone.await(server, tmp.resolve("ui"), 30);
            assertEquals(0, r.exit(), r::all);
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The answer to a GET of {@code path} as written, with {@code host} as its Host (HttpClient would normalize either). */
    private static String raw(String path, String host) throws Exception {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", URI.create(base).getPort())) {
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    private static void assertHas(HttpResponse<String> page, String... parts) {
        for (String part : parts) {
            assertTrue(page.body().contains(part), () -> "no `" + part + "` in:\n" + page.body());
        }
    }

    @Test
    void theRunsListNewestFirstWithItsFiltersAndTheCompareForm() throws Exception {
        HttpResponse<String> all = get("/");
        assertEquals(200, all.statusCode());
        assertEquals("text/html; charset=utf-8", all.headers().firstValue("Content-Type").orElseThrow());
        String body = all.body();
        assertTrue(body.indexOf(failed) < body.indexOf(other) && body.indexOf(other) < body.indexOf(sweep), body);
        assertHas(all, "<a href=\"/runs/" + sweep + "\">" + sweep + "</a></td><td>sweep</td><td>Succeeded</td>",
                "<td>crash</td><td>Failed</td>", "<form method=\"get\" action=\"/compare\">",
                "<input type=\"checkbox\" name=\"run\" value=\"" + sweep + "\">", "Compare metrics");
        HttpResponse<String> failedOnly = get("/?status=failed");
        assertHas(failedOnly, failed);
        assertFalse(failedOnly.body().contains(sweep), failedOnly.body());
        HttpResponse<String> sweeps = get("/?pipeline=sweep&status=");
        assertHas(sweeps, sweep, other);
        assertFalse(sweeps.body().contains(failed), sweeps.body());
        assertHas(get("/?pipeline=nothing"), "no runs of pipeline <code>nothing</code>");
        // the runs filed under a label, as `runs --label`; their labels in a column of their own
        HttpResponse<String> labelled = get("/?label=experiment%3Dlr3");
        assertHas(labelled, other, "<td>experiment=lr3</td>");
        assertFalse(labelled.body().contains(sweep), labelled.body());
        assertHas(get("/?label=experiment%3Dnone"), "no runs labelled experiment=none");
        assertHas(get("/runs/" + other), "<th>labels</th><td class=\"v\">experiment=lr3</td>");
        assertEquals(400, get("/?label=bad%20key").statusCode());
        HttpResponse<String> bad = get("/?status=Done");
        assertEquals(400, bad.statusCode());
        assertHas(bad, "`Done` is not a run status", "the statuses are Pending, Running, Succeeded, Failed, Cancelled");
    }

    @Test
    void aRunsPageHasWhatShowShowsItsParameterEscaped() throws Exception {
        HttpResponse<String> page = get("/runs/" + sweep.substring(0, sweep.length() - 1));
        assertEquals(200, page.statusCode());
        assertHas(page, "<tr><th>status</th><td class=\"v\">Succeeded</td></tr>",
                "<tr><th>params</th><td class=\"v\">lr = 0.1</td></tr>",
                // a value written as markup reads as its text: never a script of the page
                "<td class=\"v\">who = &lt;script&gt;alert(1)&lt;/script&gt;</td>",
                "<tr><th>output</th><td class=\"v\">model = " + tmp.resolve("home").resolve("artifacts"),
                "<a href=\"/runs/" + sweep + "/artifacts\">Artifacts</a>",
                "<th>TASK</th><th>ITEM</th><th>STATE</th><th>ATTEMPTS</th><th>EXIT</th>",
                "<td><a href=\"/runs/" + sweep + "/logs/f\">f</a></td><td></td><td>Succeeded</td><td>1</td><td>0</td>",
                // a loop's iterations, each with the item it ran with, as show names them
                "<a href=\"/runs/" + sweep + "/logs/hello%5B0%5D\">hello[0]</a></td><td>w=&quot;ann&quot;</td>",
                "<a href=\"/runs/" + sweep + "/logs/hello%5B1%5D\">hello[1]</a></td><td>w=&quot;bob&quot;</td>");
        // the DAG as `graph --run --format svg` draws it, inline
        String svg = fs.cli("graph", "--run", sweep, "--format", "svg").expect(0).out();
        assertHas(page, "<div class=\"graph\">" + svg.substring(svg.indexOf("<svg")) + "</div>");
        assertFalse(page.body().contains(SCRIPT), page.body());
        assertFalse(page.body().contains("http-equiv=\"refresh\""), "a finished run's page does not reload itself");
        assertEquals("default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self'; form-action 'self';"
                + " frame-ancestors 'none'", page.headers().firstValue("Content-Security-Policy").orElseThrow());
    }

    @Test
    void aFailedRunsPageSaysWhichTaskFailedAndWhichWasSkipped() throws Exception {
        HttpResponse<String> page = get("/runs/" + failed);
        assertHas(page, "<tr><th>status</th><td class=\"v\">Failed: task `a` failed: step `a`",
                "<tr><th>params</th><td class=\"v\">none</td></tr>",
                "<a href=\"/runs/" + failed + "/logs/a\">a</a></td><td>Failed</td><td>1</td><td>3</td>",
                "<a href=\"/runs/" + failed + "/logs/hello\">hello</a></td><td>Skipped</td><td>0</td><td></td>",
                "<p class=\"note v\">hello: skipped: `a` failed</p>");
        HttpResponse<String> log = get("/runs/" + failed + "/logs/a");
        assertHas(log, "<pre>going down\n</pre>");
        // a task that never ran has no log: the page says why, as `logs` does
        HttpResponse<String> skipped = get("/runs/" + failed + "/logs/hello");
        assertEquals(200, skipped.statusCode());
        assertHas(skipped, "has no log: it was Skipped (`a` failed)");
    }

    @Test
    void aLogPageItsTailAndItsDownload() throws Exception {
        HttpResponse<String> log = get("/runs/" + sweep + "/logs/f");
        assertEquals(200, log.statusCode());
        assertHas(log, "<pre>fitting for &lt;script&gt;alert(1)&lt;/script&gt;\nline 0\n", "line 4\n</pre>",
                "<a href=\"/runs/" + sweep + "/logs/f?download\">Download as text</a>");
        assertFalse(log.body().contains(SCRIPT), log.body());
        HttpResponse<String> tail = get("/runs/" + sweep + "/logs/f?tail=2");
        assertHas(tail, "<pre>line 3\nline 4\n</pre>");
        HttpResponse<String> text = get("/runs/" + sweep + "/logs/f?download");
        assertEquals("text/plain; charset=utf-8", text.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"" + sweep + "-f.log\"", text.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals(Files.readString(fs.logOf(sweep, "f")), text.body());
        // a loop's step: every iteration, each line named as `logs RUN hello` names it
        assertHas(get("/runs/" + sweep + "/logs/hello"), "<pre>[hello[0] (w=&quot;ann&quot;)] hello ann\n"
                + "[hello[1] (w=&quot;bob&quot;)] hello bob\n</pre>");
        assertHas(get("/runs/" + sweep + "/logs/hello%5B1%5D"), "<pre>hello bob\n</pre>");
        HttpResponse<String> badTail = get("/runs/" + sweep + "/logs/f?tail=-1");
        assertEquals(400, badTail.statusCode());
        assertHas(badTail, "?tail=-1 is not a whole number from 0");
    }

    @Test
    void anArtifactDownloadsAsTheFileTheStepWroteAndAFolderIsListed() throws Exception {
        HttpResponse<String> list = get("/runs/" + sweep + "/artifacts");
        assertHas(list, "<th>TASK</th><th>OUTPUT</th><th>TYPE</th>", "<td>f</td><td>model</td><td>Model</td>",
                "<a href=\"/runs/" + sweep + "/artifacts/f.model\">open</a>");
        HttpResponse<byte[]> model = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/runs/" + sweep + "/artifacts/f.model"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, model.statusCode());
        assertEquals("application/octet-stream", model.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("attachment; filename=\"f.model\"", model.headers().firstValue("Content-Disposition").orElseThrow());
        Path object;
        try (var store = fs.openStore()) {
            var a = store.artifacts(sweep).stream().filter(x -> x.outputName().equals("model")).findFirst().orElseThrow();
            object = Path.of(URI.create(a.uri()));
        }
        assertArrayEquals(Files.readAllBytes(object), model.body());
        assertEquals("weights 0.1", new String(model.body(), java.nio.charset.StandardCharsets.UTF_8));
        HttpResponse<String> metrics = get("/runs/" + sweep + "/artifacts/f.metrics");
        assertEquals("application/json", metrics.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"accuracy\": 0.9}", metrics.body());
        HttpResponse<String> folder = get("/runs/" + sweep + "/artifacts/f.data");
        assertHas(folder, "a folder; its files:", "<td>part/a.csv</td><td>4</td>");
        HttpResponse<String> none = get("/runs/" + sweep + "/artifacts/f.nothing");
        assertEquals(404, none.statusCode());
        assertHas(none, "run " + sweep + " has no artifact `f.nothing`");
    }

    /**
     * A step's reports as KFP's UI draws them: an HTML report whose script would run, a Markdown report holding a
     * script, a `javascript:` link and an image from elsewhere, a ClassificationMetrics file, one KFP would not read,
     * and reports past what a page renders or frames.
     */
    static final String REPORTS = """
            component evaluate() -> (report: HTML, notes: Markdown, cm: ClassificationMetrics, bad: ClassificationMetrics,
                                     big: Markdown, huge: HTML) {
              image  = "python:3.12-slim"
              script = python \"""
                import json, os
                open(os.environ["report"], "w").write("<html><body><h1>Loss</h1><script>document.title = 'ran'</script></body></html>\\n")
                open(os.environ["notes"], "w").write("# Notes <script>alert(1)</script>\\n\\n"
                    "[click](javascript:alert(1)) [docs](https://example.org/d) ![chart](https://example.org/c.png)"
                    " ![dot](data:image/png;base64,iVBORw0KGgo=)\\n\\n"
                    "| metric | value |\\n| --- | --- |\\n| accuracy | 0.8 |\\n")
                json.dump({
                    "confusionMatrix": {
                        "annotationSpecs": [{"displayName": "cat"}, {"displayName": "<i>dog</i>"}],
                        "rows": [{"row": [5, 1]}, {"row": [2, 7]}]},
                    "confidenceMetrics": [
                        {"confidenceThreshold": 0.8, "recall": 0.5, "falsePositiveRate": 0.1},
                        {"confidenceThreshold": 0.5, "recall": 0.8, "falsePositiveRate": 0.3}]},
                    open(os.environ["cm"], "w"))
                json.dump({"confusionMatrix": {"annotationSpecs": [{"displayName": "a"}, {"displayName": "b"}],
                                               "rows": [[5, 1], [2, 7]]}}, open(os.environ["bad"], "w"))
                open(os.environ["big"], "w").write(("x" * 79 + "\\n") * 20000)
                open(os.environ["huge"], "w").write("<p>row</p>\\n" * (33 * 1024 * 1024 // 11))
              \"""
            }
            pipeline reports() {
              e = evaluate()
            }
            """;

    @Test
    void aRunsReportsAreDrawnUnderItsArtifacts() throws Exception {
        assertHas(get("/runs/" + reports), "<a href=\"/runs/" + reports + "/artifacts#visualizations\">Visualizations (6)</a>");
        HttpResponse<String> page = get("/runs/" + reports + "/artifacts");
        assertEquals(200, page.statusCode());
        String body = page.body();
        // in the table's order: e.bad, e.big, e.cm, e.huge, e.notes, e.report
        assertHas(page, "<h2 id=\"visualizations\">Visualizations</h2>",
                "<h3>e.report <span class=\"note\">HTML</span></h3>\n<iframe class=\"report\" sandbox=\"allow-scripts\" src=\"/runs/"
                        + reports + "/artifacts/e.report?view\" title=\"e.report\"></iframe>\n",
                "<a href=\"/runs/" + reports + "/artifacts/e.report?view\">Open alone</a>");
        // Markdown: its raw HTML is text, its javascript: link has no URL, its image from elsewhere is its alt text
        assertHas(page, "<h1>Notes &lt;script&gt;alert(1)&lt;/script&gt;</h1>", "<a rel=\"nofollow\" href=\"\">click</a>",
                "<a rel=\"nofollow\" href=\"https://example.org/d\">docs</a>", "<span class=\"note\">[image: chart]</span>",
                // an image written into the report is shown: the page's policy allows data: images
                "<img src=\"data:image/png;base64,iVBORw0KGgo=\" alt=\"dot\" />",
                "<td>accuracy</td>");
        assertFalse(body.contains("<script") || body.contains("javascript:") || body.contains("src=\"https:"), body);
        // the confusion matrix: rows actual, columns predicted, each cell shaded by its count against the largest (7)
        assertHas(page, "<caption>confusion matrix (rows: actual, columns: predicted); accuracy 0.8 (12 of 15)</caption>",
                "<tr><th>actual \\ predicted</th><th>cat</th><th>&lt;i&gt;dog&lt;/i&gt;</th></tr>",
                "<tr><th>cat</th><td style=\"background: rgba(31, 119, 180, 0.71); color: #fff\">5</td>"
                        + "<td style=\"background: rgba(31, 119, 180, 0.14)\">1</td></tr>",
                "<td style=\"background: rgba(31, 119, 180, 0.29)\">2</td><td style=\"background: rgba(31, 119, 180, 1.00);"
                        + " color: #fff\">7</td></tr>");
        // the ROC curve: (0, 0), its points by false positive rate, (1, 1) in a 280-pixel square from (56, 296)
        assertHas(page, "<polyline class=\"curve\" points=\"56,296 84,156 140,72 336,16\"",
                "<line class=\"diagonal\" stroke-dasharray=\"4 4\" x1=\"56\" y1=\"296\" x2=\"336\" y2=\"16\"",
                "<circle cx=\"84\" cy=\"156\" r=\"3\" fill=\"#1f77b4\"><title>threshold 0.8: false positive rate 0.1, recall 0.5</title>",
                "<figcaption>ROC curve: 2 thresholds, AUC 0.785</figcaption>");
        // a file KFP would not read: why, as `metrics` says it
        assertHas(page, "<h3>e.bad <span class=\"note\">ClassificationMetrics</span></h3>\n<p class=\"note v\">not KFP&#39;s"
                + " ClassificationMetrics JSON: row 1 of `confusionMatrix` is `[5,1]`: KFP writes a row as {&quot;row&quot;: [...]},"
                + " one number per class</p>");
        // past 1 MiB, a Markdown report is rendered up to its last whole line there, the rest in its download
        assertHas(page, "the first 1048560 bytes of 1600000 are shown: the download has the whole",
                "<a href=\"/runs/" + reports + "/artifacts/e.big\">Download</a>");
        assertTrue(body.length() < 1_200_000, "the page holds " + body.length() + " characters");
        // past 32 MiB, an HTML report is not framed (the page would load it whole): opened alone or downloaded
        assertHas(page, "<h3>e.huge <span class=\"note\">HTML</span></h3>\n<p class=\"note\">33.0 MiB: too large to show here</p>\n"
                + "<p class=\"note\"><a href=\"/runs/" + reports + "/artifacts/e.huge\">Download</a> &middot; <a href=\"/runs/"
                + reports + "/artifacts/e.huge?view\">Open alone</a></p>");
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElseThrow().contains("frame-src 'self'"));
        // a run without reports has no such section, nor a link to it
        assertFalse(get("/runs/" + sweep + "/artifacts").body().contains("Visualizations"));
        assertFalse(get("/runs/" + sweep).body().contains("Visualizations"));
    }

    /** The framed HTML report: served from a URL of its own, its scripts in an origin of their own, framed by the UI alone. */
    @Test
    void anHtmlReportsFrameIsSandboxedInAnOriginOfItsOwn() throws Exception {
        HttpResponse<String> framed = get("/runs/" + reports + "/artifacts/e.report?view");
        assertEquals(200, framed.statusCode());
        assertEquals("<html><body><h1>Loss</h1><script>document.title = 'ran'</script></body></html>\n", framed.body());
        assertEquals("text/html; charset=utf-8", framed.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("sandbox allow-scripts; default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline';"
                + " img-src data: blob:; font-src data:; media-src data: blob:; frame-ancestors 'self'",
                framed.headers().firstValue("Content-Security-Policy").orElseThrow());
        assertEquals("SAMEORIGIN", framed.headers().firstValue("X-Frame-Options").orElseThrow());
        assertEquals("nosniff", framed.headers().firstValue("X-Content-Type-Options").orElseThrow());
        assertTrue(framed.headers().firstValue("Content-Disposition").isEmpty(), framed.headers()::toString);
        // without ?view, the same report is still a download that runs nothing
        HttpResponse<String> download = get("/runs/" + reports + "/artifacts/e.report");
        assertEquals("attachment; filename=\"e.report.html\"", download.headers().firstValue("Content-Disposition").orElseThrow());
        assertEquals("default-src 'none'; sandbox", download.headers().firstValue("Content-Security-Policy").orElseThrow());
        // only an HTML report is framed
        HttpResponse<String> notes = get("/runs/" + reports + "/artifacts/e.notes?view");
        assertEquals(400, notes.statusCode());
        assertHas(notes, "`e.notes` is of type Markdown: ?view shows an HTML report");
        assertEquals(404, get("/runs/" + reports + "/artifacts/e.nothing?view").statusCode());
    }

    @Test
    void theComparePageHasTheMetricsSideBySideAndTheParameterThatDiffers() throws Exception {
        HttpResponse<String> page = get("/compare?run=" + sweep + "&run=" + other);
        assertEquals(200, page.statusCode());
        assertHas(page, "<tr><th>PARAMETER</th><th>" + sweep + "</th><th>" + other + "</th></tr>",
                "<tr><td>lr</td><td>0.1</td><td>0.3</td></tr>",
                "<tr><th>METRIC</th><th>" + sweep + "</th><th>" + other + "</th></tr>",
                // each value over a bar as long as its share of the row's largest
                "<tr><td>f/accuracy</td><td>0.9<div class=\"bar\" style=\"width: 100%\"></div></td>"
                        + "<td>0.7<div class=\"bar\" style=\"width: 78%\"></div></td></tr>");
        // two runs: the tasks that ran or came out otherwise, as `freestone diff` lists them, the alike counted
        assertHas(page, "<h2>Tasks that differ</h2>\n<table>\n<tr><th>TASK</th><th>" + sweep + "</th><th>" + other
                        + "</th><th>DIFFERENCE</th></tr>\n<tr><td>f</td><td>Succeeded</td><td>Succeeded</td><td>input `lr` changed;"
                        + " input `who` changed; metric `accuracy` 0.9 -&gt; 0.7; artifact `model`: other content (sha256:",
                "<p class=\"note\">2 tasks alike (same component, inputs and results): hello[0], hello[1]</p>");
        assertFalse(get("/compare?run=" + sweep + "&run=" + other + "&run=" + failed).body().contains("Tasks that differ"));
        assertHas(get("/compare?run=" + failed), "no metrics recorded for " + failed);
        // one run alone has nothing to measure its values against
        HttpResponse<String> alone = get("/compare?run=" + sweep);
        assertHas(alone, "<tr><td>f/accuracy</td><td>0.9</td></tr>");
        assertFalse(alone.body().contains("class=\"bar\""), alone.body());
        // a ClassificationMetrics artifact drawn as on its run's artifacts page, named as `metrics` names it
        HttpResponse<String> classified = get("/compare?run=" + reports + "&run=" + sweep);
        assertHas(classified, "<h3>e.cm  (" + reports + ") <span class=\"note\">ClassificationMetrics</span></h3>",
                "<caption>confusion matrix (rows: actual, columns: predicted); accuracy 0.8 (12 of 15)</caption>",
                "<figcaption>ROC curve: 2 thresholds, AUC 0.785</figcaption>",
                "<h3>e.bad  (" + reports + ") <span class=\"note\">ClassificationMetrics</span></h3>\n<p class=\"note v\">not KFP&#39;s");
        assertEquals(400, get("/compare").statusCode());
    }

    /** A run in progress: its page reloads itself and shows what the engine wrote so far, and reading holds the engine up in nothing. */
    @Test
    void aRunningRunsPageReloadsItselfUntilTheRunEnds() throws Exception {
        Path started = tmp.resolve("started");
        Path release = tmp.resolve("release");
        Path pipe = Freestone.pipe(tmp, "wait.pipe", """
                component wait(started: String, release: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo waiting; touch \\"$0\\"; while [ ! -f \\"$1\\" ]; do sleep 0.1; done; echo released", started, release]
                }
                pipeline waiting(started: String, release: String) {
                  wait(started = started, release = release)
                }
                """);
        Path logs = tmp.resolve("engine");
        Process engine = fs.start(logs, List.of(), "run", "--progress", "none", pipe.toString(), "-p", "started=" + started,
                "-p", "release=" + release);
        try {
            assertTrue(Freestone.eventually(30_000, () -> Files.exists(started) || !engine.isAlive()), "the step did not start");
            String id = new Freestone.Result(0, "", Freestone.read(logs.resolve("err.txt"))).runId();
            // the engine records a step's start a moment after the step runs (one writer commits what is queued): the
            // page says Running once the store does
            assertTrue(Freestone.eventually(10_000, () -> {
                try {
                    return get("/runs/" + id).body().contains("</a></td><td>Running</td>");
                } catch (Exception notYet) {
                    return false;
                }
            }), "the step's Running state");
            HttpResponse<String> running = get("/runs/" + id);
            assertHas(running, "<meta http-equiv=\"refresh\" content=\"2\">", "<tr><th>status</th><td class=\"v\">Running</td></tr>",
                    "</a></td><td>Running</td>");
            assertHas(get("/?status=Running"), id);
            assertTrue(Freestone.eventually(10_000, () -> {
                try {
                    return get("/runs/" + id + "/logs/wait").body().contains("<pre>waiting\n</pre>");
                } catch (Exception notYet) {
                    return false;
                }
            }), "the log so far");
            Files.writeString(release, "go");
            Freestone.await(engine, logs, 60).expect(0);
            HttpResponse<String> done = get("/runs/" + id);
            assertHas(done, "<tr><th>status</th><td class=\"v\">Succeeded</td></tr>");
            assertFalse(done.body().contains("http-equiv"), done.body());
            assertHas(get("/runs/" + id + "/logs/wait"), "<pre>waiting\nreleased\n</pre>");
        } finally {
            Freestone.stopAll(List.of(engine), release);
        }
    }

    @Test
    void whatIsNotThereIsA404AndNothingOfTheUrlIsReadAsAFile() throws Exception {
        HttpResponse<String> run = get("/runs/run-19990101-000000-beef");
        assertEquals(404, run.statusCode());
        assertHas(run, "no run matches `run-19990101-000000-beef`");
        HttpResponse<String> task = get("/runs/" + sweep + "/logs/fit");
        assertEquals(404, task.statusCode());
        assertHas(task, "run " + sweep + " has no task `fit`");
        for (String path : List.of("/runs/../../etc/passwd", "/runs/%2e%2e/%2e%2e/etc/passwd", "/runs/%2e%2e/logs/passwd",
                "/runs/" + sweep + "/logs/..%2F..%2F..%2Fetc%2Fpasswd", "/runs/" + sweep + "/artifacts/%2e%2e", "/nothing")) {
            String r = raw(path, URI.create(base).getAuthority());
            assertTrue(r.startsWith("HTTP/1.1 404"), path + ":\n" + r);
            assertFalse(r.contains("root:"), r);
            assertFalse(r.contains("\tat "), r);
        }
    }

    @Test
    void onlyGetAndHeadForThisHostAreAnswered() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals("GET, HEAD", post.headers().firstValue("Allow").orElseThrow());
        HttpResponse<String> head = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/runs/" + sweep))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        // a page of another site whose name now resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host
        int port = URI.create(base).getPort();
        String answer = raw("/", "attacker.example:" + port);
        assertTrue(answer.startsWith("HTTP/1.1 403"), answer);
        assertFalse(answer.contains(sweep), answer);
        assertEquals(200, HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode());
    }

    @Test
    void aPortTakenIsOneLineAndExit1() throws Exception {
        int port = URI.create(base).getPort();
        Freestone.Result r = fs.cli("ui", "--port", String.valueOf(port));
        assertEquals(1, r.exit(), r::all);
        assertEquals("error: cannot listen on 127.0.0.1:" + port + ": the port is taken (another program, or another"
                + " `freestone ui`, listens there)\n  = help: choose another port with --port N, or --port 0 for a free one\n",
                r.err());
        assertEquals("", r.out());
        assertEquals(2, fs.cli("ui", "--host", "0.0.0.0").exit());
        // a store that cannot be opened is said at the start, not on every page
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        Freestone.Result home = new Freestone(file).cli("ui", "--port", "0");
        assertEquals(1, home.exit(), home::all);
        assertTrue(home.err().startsWith("error: ") && home.err().contains(file.toString()) && !home.err().contains("\tat "),
                home::all);
        assertEquals("", home.out());
    }

    @Test
    void aPortOrAnAddressThatCannotBeServedIsOneLine() {
        Freestone.Result port = fs.cli("ui", "--port", "70000");
        assertEquals(2, port.exit(), port::all);
        assertEquals("error: --port 70000 is not a port\n  = help: give a number from 1 to 65535, or 0 for a free port\n",
                port.err());
        assertEquals("", port.out());
        // an address of another machine (TEST-NET-1): nothing to bind, said in a line, no stack trace
        Freestone.Result elsewhere = fs.cli("ui", "--host", "192.0.2.1", "--port", "0");
        assertEquals(1, elsewhere.exit(), elsewhere::all);
        assertTrue(elsewhere.err().startsWith("error: cannot listen on 192.0.2.1:0: ") && !elsewhere.err().contains("\tat "),
                elsewhere::all);
        assertEquals("", elsewhere.out());
    }
}
