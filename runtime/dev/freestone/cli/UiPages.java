package dev.freestone.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.freestone.runtime.store.ArtifactRecord;
import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.LoopItem;
import dev.freestone.runtime.store.RunRecord;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.runtime.store.StoreException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The UI's pages, each what a CLI command prints, read by the same code ({@link RunsCommand#rows},
 * {@link ShowCommand#facts}, {@link LogsCommand#print}, {@link ArtifactsCommand#stored}, {@link MetricsCommand#compare}).
 * Every run, task and artifact named in a URL is looked up in the store; nothing of a URL is a file path. A mistake in
 * a URL is a 404 (or 400) page saying what was not found; anything else a 500 page of one line, its cause on stderr.
 */
final class UiPages implements HttpHandler {
    private final Set<String> hosts;
    private final PrintWriter log;

    UiPages(Set<String> hosts, PrintWriter log) {
        this.hosts = hosts;
        this.log = log;
    }

    /** A page that cannot be given: its status and what to say. */
    private static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;
        final String help;

        Refused(int status, String message, String help) {
            super(message, null, false, false);
            this.status = status;
            this.help = help;
        }
    }

    @Override
    public void handle(HttpExchange x) {
        Reply reply = new Reply(x);
        try {
            String hostHeader = String.valueOf(x.getRequestHeaders().getFirst("Host")).toLowerCase(Locale.ROOT);
            if (!hosts.contains(hostHeader)) {
                // DNS rebinding: a page of another site, its name now resolving here, reading the store
                throw new Refused(403, "this server answers requests for " + String.join(" or ", hosts) + " only",
                        "open http://" + hosts.iterator().next() + "/");
            }
            if (!reply.head && !x.getRequestMethod().equals("GET")) {
                x.getResponseHeaders().set("Allow", "GET, HEAD");
                throw new Refused(405, "the UI is read-only: " + x.getRequestMethod() + " is not answered", "it answers GET and HEAD");
            }
            route(x, reply);
        } catch (Refused e) {
            reply.error(e.status, e.getMessage(), e.help);
        } catch (UserError e) {
            // a run, task or artifact the store does not have, or a query value that is none
            reply.error(e.exitCode() == Main.USAGE ? 400 : 404, e.getMessage(), e.help());
        } catch (StoreException e) {
            reply.error(500, "cannot read the run store: " + e.getMessage(), e.help().orElse(null));
        } catch (IOException | RuntimeException | InterruptedException e) {
            // a bug, or a write to a browser that went away: one line on the terminal, nothing of it in the page
            log.println("error: " + x.getRequestMethod() + " " + x.getRequestURI().getRawPath() + ": " + e);
            log.flush();
            reply.error(500, "internal error in freestone ui", "its cause is on the terminal that runs `freestone ui`");
        } finally {
            x.close();
        }
    }

    private void route(HttpExchange x, Reply reply) throws IOException, InterruptedException {
        String raw = x.getRequestURI().getRawPath();
        List<String> path = new ArrayList<>();
        for (String s : raw.substring(1).split("/", -1)) {
            path.add(Html.decode(s).orElseThrow(() -> notFound(raw)));
        }
        Map<String, List<String>> query = query(x.getRequestURI().getRawQuery());
        if (path.equals(List.of(""))) {
            reply.html(runs(query));
        } else if (path.size() == 1 && path.get(0).equals("compare")) {
            reply.html(compare(query.getOrDefault("run", List.of())));
        } else if (path.size() >= 2 && path.get(0).equals("runs") && path.size() <= 4) {
            try (RunStore store = store()) {
                RunRecord r = Cli.findRun(store, path.get(1));
                if (path.size() == 2) {
                    reply.html(run(store, r));
                } else if (path.size() == 4 && path.get(2).equals("logs")) {
                    logs(r, path.get(3), query, reply);
                } else if (path.size() == 3 && path.get(2).equals("artifacts")) {
                    reply.html(artifacts(store, r));
                } else if (path.size() == 4 && path.get(2).equals("artifacts")) {
                    artifact(store, r, path.get(3), query.containsKey("view"), reply);
                } else {
                    throw notFound(raw);
                }
            }
        } else {
            throw notFound(raw);
        }
    }

    /** The store, opened as the read commands open it; one that cannot be opened is the server's failure, not the URL's. */
    private static RunStore store() {
        try {
            return Cli.openStore();
        } catch (UserError e) {
            throw new Refused(500, e.getMessage(), e.help());
        }
    }

    private static Refused notFound(String raw) {
        return new Refused(404, "no page " + raw, "the pages are /, /runs/RUN, /runs/RUN/logs/TASK, /runs/RUN/artifacts"
                + " and /compare?run=RUN&run=RUN");
    }

    /** The query's values by name, in order (a form's checkboxes repeat a name). */
    private static Map<String, List<String>> query(String raw) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return out;
        }
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            try {
                out.computeIfAbsent(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), k -> new ArrayList<>())
                        .add(kv.length == 2 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            } catch (IllegalArgumentException broken) {
                throw new UserError("the query `" + raw + "` is not URL-encoded", "write a % as %25", Main.USAGE);
            }
        }
        return out;
    }

    private static Optional<String> first(Map<String, List<String>> query, String name) {
        return query.getOrDefault(name, List.of()).stream().filter(v -> !v.isBlank()).findFirst();
    }

    private static Integer number(Map<String, List<String>> query, String name, int least) {
        Optional<String> v = first(query, name);
        if (v.isEmpty()) {
            return null;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n >= least) {
                return n;
            }
        } catch (NumberFormatException notNumber) {
            // said below
        }
        throw new UserError("?" + name + "=" + v.get() + " is not a whole number from " + least, "e.g. ?" + name + "=20",
                Main.USAGE);
    }

    /** {@code s} as a download's file name: every character but letters, digits and {@code ._-} as {@code _}. */
    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static String runHref(String id) {
        return "/runs/" + Html.segment(id);
    }

    /** {@code /}: the runs, newest first, as {@code freestone runs} lists them, with its filters and a form to compare them. */
    private String runs(Map<String, List<String>> query) {
        Optional<String> pipeline = first(query, "pipeline");
        List<String> statuses = new ArrayList<>();
        query.getOrDefault("status", List.of()).forEach(s -> Arrays.stream(s.split(",")).filter(v -> !v.isBlank())
                .forEach(statuses::add));
        Integer limit = number(query, "limit", 0);
        int most = limit == null ? 50 : limit;
        List<String> labels = query.getOrDefault("label", List.of()).stream().filter(l -> !l.isBlank()).toList();
        StringBuilder body = new StringBuilder();
        body.append("<form method=\"get\" action=\"/\">pipeline <input name=\"pipeline\" value=\"")
                .append(Html.text(pipeline.orElse(""))).append("\"> status <select name=\"status\"><option value=\"\">any</option>");
        for (String s : new Cli.StatusNames()) {
            body.append("<option").append(statuses.contains(s) ? " selected" : "").append('>').append(s).append("</option>");
        }
        body.append("</select> label <input name=\"label\" value=\"").append(Html.text(String.join(",", labels)))
                .append("\"> <button>Filter</button></form>\n");
        try (RunStore store = store()) {
            List<RunRecord> runs = RunsCommand.runs(store, pipeline, Cli.statuses(statuses), null,
                    Labels.filters(labels.stream().flatMap(l -> Arrays.stream(l.split(","))).filter(l -> !l.isBlank()).toList()),
                    most);
            if (runs.isEmpty()) {
                body.append("<p>no runs").append(pipeline.map(p -> " of pipeline <code>" + Html.text(p) + "</code>").orElse(""))
                        .append(labels.isEmpty() ? "" : " labelled " + Html.text(String.join(" and ", labels)))
                        .append(statuses.isEmpty() ? "" : " with status " + Html.text(String.join(" or ", statuses)))
                        .append(pipeline.isEmpty() && statuses.isEmpty() && labels.isEmpty()
                                ? " yet: start one with <code>freestone run FILE</code>" : "")
                        .append("</p>\n");
                return Html.page("Runs", false, body.toString());
            }
            List<String[]> rows = new ArrayList<>();
            RunsCommand.rows(store, runs).forEach(row -> rows.add(prepend("", row)));
            body.append("<form method=\"get\" action=\"/compare\">\n").append(Html.table(rows, (row, c, escaped) -> c == 0
                    ? "<input type=\"checkbox\" name=\"run\" value=\"" + Html.text(row[1]) + "\">"
                    : c == 1 ? Html.link(runHref(row[1]), escaped) : escaped))
                    .append("<button>Compare metrics</button></form>\n");
            if (runs.size() == most && most > 0) {
                body.append("<p class=\"note\">the newest ").append(most).append(": all of them with ?limit=0</p>\n");
            }
        }
        return Html.page("Runs", false, body.toString());
    }

    private static String[] prepend(String first, String[] row) {
        String[] out = new String[row.length + 1];
        out[0] = first;
        System.arraycopy(row, 0, out, 1, row.length);
        return out;
    }

    /** {@code /runs/RUN}: what {@code freestone show} shows, each task linked to its log; reloading while the run goes on. */
    private static String run(RunStore store, RunRecord r) {
        ShowCommand.View v = ShowCommand.view(store, r);
        StringBuilder body = new StringBuilder("<table>\n");
        for (String[] fact : ShowCommand.facts(store, v)) {
            body.append("<tr><th>").append(Html.text(fact[0])).append("</th><td class=\"v\">").append(Html.text(fact[1]))
                    .append("</td></tr>\n");
        }
        long reports = ArtifactsCommand.ordered(store, r.id()).stream().filter(Visualizations::shows).count();
        body.append("</table>\n<p>").append(Html.link(runHref(r.id()) + "/artifacts", "Artifacts")).append(" &middot; ")
                .append(reports == 0 ? "" : Html.link(runHref(r.id()) + "/artifacts#visualizations", "Visualizations ("
                        + reports + ")") + " &middot; ")
                .append(Html.link("/compare?run=" + Html.segment(r.id()), "Metrics")).append("</p>\n");
        body.append(Html.table(ShowCommand.taskRows(v), Html.linkIn(0, row -> runHref(r.id()) + "/logs/" + Html.segment(row[0]))));
        body.append(graph(store, v));
        for (String note : ShowCommand.notes(store, v)) {
            body.append("<p class=\"note v\">").append(Html.text(note)).append("</p>\n");
        }
        boolean going = !r.status().isTerminal() && v.gone().isEmpty();
        return Html.page("Run " + r.id(), going, body.toString());
    }

    /** The run's DAG as {@code graph --run --format svg} draws it, in the page; a note where its pipeline cannot be read. */
    private static String graph(RunStore store, ShowCommand.View v) {
        try {
            String svg = GraphCommand.drawn(store, v.run(), v.tasks(), v.gone().isPresent(), dev.freestone.ir.IrGraph.Format.svg);
            // inline in HTML: the document's XML declaration goes
            return "<div class=\"graph\">" + svg.substring(svg.indexOf("<svg")) + "</div>\n";
        } catch (UserError | IOException e) {
            return "<p class=\"note\">" + Html.text("no graph: " + e.getMessage()) + "</p>\n";
        }
    }

    /**
     * {@code /runs/RUN/logs/TASK}: the task's log as {@code freestone logs RUN TASK} prints it (a loop's step: every
     * iteration's, each line prefixed), streamed from its file into a {@code <pre>}; {@code ?tail=N}, {@code ?attempt=N};
     * {@code ?download} the plain text.
     */
    private void logs(RunRecord r, String task, Map<String, List<String>> query, Reply reply)
            throws IOException, InterruptedException {
        if (r.backend() == Backend.Argo) {
            throw new UserError("the logs of Argo run " + r.id() + " are on its cluster, not in the store",
                    "`freestone logs " + r.id() + " " + RerunLine.quoted(task) + "` reads them from there");
        }
        boolean download = query.containsKey("download");
        LogsCommand logs = LogsCommand.of(r.id(), task, number(query, "tail", 0), number(query, "attempt", 1));
        String title = "Log of " + task + " in " + r.id();
        String links = "<p>" + Html.link(runHref(r.id()), "Run") + " &middot; "
                + Html.link(runHref(r.id()) + "/logs/" + Html.segment(task) + "?download", "Download as text") + "</p>\n";
        // the headers go with the first byte of the log: a task that is not there is still a 404
        Body body = new Body(reply, download ? "text/plain; charset=utf-8" : "text/html; charset=utf-8",
                download ? fileName(r.id() + "-" + task) + ".log" : null,
                download ? "" : Html.head(title, false) + links + "<pre>");
        StringWriter notes = new StringWriter();
        PrintWriter out = new PrintWriter(download ? new OutputStreamWriter(body, StandardCharsets.UTF_8)
                : Html.escaping(new OutputStreamWriter(body, StandardCharsets.UTF_8)));
        logs.print(out, new PrintWriter(notes));
        out.flush();
        if (!body.started()) {
            body.start();
        }
        String said = notes.toString();
        body.finish(download ? said : "</pre>\n" + (said.isEmpty() ? "" : "<pre class=\"note\">" + Html.text(said) + "</pre>\n")
                + Html.END);
    }

    /**
     * {@code /runs/RUN/artifacts}: what {@code freestone artifacts} lists, each local one linked to its file or folder;
     * under it, the run's reports drawn.
     */
    private static String artifacts(RunStore store, RunRecord r) throws IOException {
        List<ArtifactRecord> artifacts = ArtifactsCommand.ordered(store, r.id());
        StringBuilder body = new StringBuilder("<p>" + Html.link(runHref(r.id()), "Run") + "</p>\n");
        if (artifacts.isEmpty()) {
            return Html.page("Artifacts of " + r.id(), false, body.append("<p>run ").append(Html.text(r.id()))
                    .append(" has no artifacts</p>\n").toString());
        }
        Map<ArtifactRecord, Boolean> missing = ArtifactsCommand.missing(store, artifacts);
        Map<String, List<LoopItem>> items = TaskOrder.items(store, r.id());
        List<String[]> rows = ArtifactsCommand.rows(artifacts, items, missing);
        List<String[]> linked = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            ArtifactRecord a = i == 0 ? null : artifacts.get(i - 1);
            boolean here = a != null && missing.containsKey(a) && !missing.get(a);
            linked.add(prepend(a == null ? "" : here ? a.taskId() + "." + a.outputName() : "", rows.get(i)));
        }
        body.append(Html.table(linked, (row, c, escaped) -> c == 0 && !row[0].isEmpty()
                ? Html.link(runHref(r.id()) + "/artifacts/" + Html.segment(row[0]), "open") : escaped));
        body.append(visualizations(store, r, artifacts, items, missing));
        return Html.page("Artifacts of " + r.id(), false, body.toString());
    }

    /**
     * The run's reports drawn, in the order of the table above, as KFP's Visualizations tab: each HTML, Markdown and
     * ClassificationMetrics artifact of this machine ({@link Visualizations}); nothing when the run has none.
     */
    private static String visualizations(RunStore store, RunRecord r, List<ArtifactRecord> artifacts,
            Map<String, List<LoopItem>> items, Map<ArtifactRecord, Boolean> missing) throws IOException {
        List<ArtifactRecord> drawn = artifacts.stream().filter(Visualizations::shows).toList();
        if (drawn.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder("<h2 id=\"visualizations\">Visualizations</h2>\n");
        for (ArtifactRecord a : drawn) {
            Path object = missing.get(a) ? null : store.artifacts().get(a.digest().get()).orElse(null);
            out.append(Visualizations.section(a, object, LoopItem.labelled(a.taskId(),
                    items.getOrDefault(a.taskId(), List.of())) + "." + a.outputName(),
                    runHref(r.id()) + "/artifacts/" + Html.segment(a.taskId() + "." + a.outputName())));
        }
        return out.toString();
    }

    /**
     * {@code /runs/RUN/artifacts/TASK.OUTPUT}: a file artifact as a download (streamed from the artifact store), a folder
     * artifact as the list of its files; with {@code view}, an HTML report for the frame of the artifacts page.
     */
    private static void artifact(RunStore store, RunRecord r, String name, boolean view, Reply reply) throws IOException {
        List<ArtifactRecord> artifacts = ArtifactsCommand.ordered(store, r.id());
        ArtifactsCommand.Stored s = ArtifactsCommand.stored(store, r, artifacts, name);
        if (view) {
            if (!s.artifact().type().equals("HTML") || s.artifact().directory()) {
                throw new UserError("`" + name + "` is " + (s.artifact().directory() ? "a folder" : "of type " + s.artifact().type())
                        + ": ?view shows an HTML report", "its download is " + runHref(r.id()) + "/artifacts/"
                        + Html.segment(name) + ", its drawing on " + runHref(r.id()) + "/artifacts", Main.USAGE);
            }
            OutputStream out = reply.framed(Files.size(s.object()));
            if (!reply.head) {
                Files.copy(s.object(), out);
            }
            return;
        }
        if (s.artifact().directory()) {
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"FILE", "SIZE"});
            try (var walk = Files.walk(s.object())) {
                for (Path f : walk.filter(Files::isRegularFile).sorted().toList()) {
                    rows.add(new String[] {s.object().relativize(f).toString(), String.valueOf(Files.size(f))});
                }
            }
            reply.html(Html.page(name + " of " + r.id(), false, "<p>" + Html.link(runHref(r.id()) + "/artifacts", "Artifacts")
                    + "</p>\n<p>a folder; its files:</p>\n" + Html.table(rows, Html.PLAIN)));
            return;
        }
        String[] kind = switch (s.artifact().type()) {
            case "HTML" -> new String[] {"text/html; charset=utf-8", ".html"};
            case "Markdown" -> new String[] {"text/markdown; charset=utf-8", ".md"};
            case "Metrics", "ClassificationMetrics" -> new String[] {"application/json", ".json"};
            default -> new String[] {"application/octet-stream", ""};
        };
        String file = fileName(name) + kind[1];
        // a report may be HTML a step wrote: a download, never a page of this origin
        OutputStream out = reply.start(200, kind[0], Files.size(s.object()), file);
        if (!reply.head) {
            Files.copy(s.object(), out);
        }
    }

    /** {@code /compare?run=A&run=B}: {@code freestone metrics A B} as a table, the parameters they differ in first. */
    private static String compare(List<String> named) throws IOException {
        if (named.isEmpty()) {
            throw new UserError("no runs to compare", "tick runs on the list of runs, then Compare metrics", Main.USAGE);
        }
        try (RunStore store = store()) {
            List<RunRecord> found = MetricsCommand.found(store, named);
            MetricsCommand.Comparison c = MetricsCommand.compare(store, found);
            StringBuilder body = new StringBuilder();
            Set<String> heads = Set.of("PARAMETER", "METRIC");
            // comparing runs, each metric's value over a bar as long as its share of the row's largest
            Set<String[]> metrics = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
            c.rows().stream().filter(row -> row[0].equals("METRIC")).findFirst()
                    .filter(head -> found.size() > 1)
                    .ifPresent(head -> metrics.addAll(c.rows().subList(c.rows().indexOf(head) + 1, c.rows().size())));
            body.append(c.rows().isEmpty() ? "" : Html.table(c.rows(), new Html.CellMarkup() {
                @Override
                public String markup(String[] row, int column, String escaped) {
                    return column > 0 && metrics.contains(row) ? escaped + Visualizations.bar(row, column) : escaped;
                }

                @Override
                public boolean header(String[] row) {
                    return heads.contains(row[0]);
                }
            }));
            if (c.rows().stream().noneMatch(row -> row[0].equals("METRIC"))) {
                body.append("<p>no metrics recorded for ").append(Html.text(String.join(", ",
                        found.stream().map(RunRecord::id).toList()))).append("</p>\n");
            }
            for (MetricsCommand.Classified m : c.classified()) {
                // drawn as on the run's artifacts page, each named as `metrics` names it
                body.append(Visualizations.section(m.title(c.several()), m.artifact().type(), m.read().map(Visualizations::drawing)
                        .orElseGet(() -> "<p class=\"note v\">" + Html.text(m.problem()) + "</p>\n")));
            }
            if (found.size() == 2) {
                // two runs: which tasks ran or came out otherwise, as `freestone diff A B` lists them
                List<DiffCommand.Compared> tasks = DiffCommand.compare(store, found.get(0), found.get(1));
                List<String[]> rows = DiffCommand.taskRows(found.get(0), found.get(1), tasks, false);
                body.append("<h2>Tasks that differ</h2>\n").append(rows.size() > 1 ? Html.table(rows, (row, col, escaped) -> escaped)
                        : "<p>no task differs</p>\n");
                DiffCommand.alikeLine(tasks).ifPresent(line -> body.append("<p class=\"note\">").append(Html.text(line)).append("</p>\n"));
            }
            StringBuilder runs = new StringBuilder("<p>");
            found.forEach(r -> runs.append(Html.link(runHref(r.id()), Html.text(r.id()))).append(' '));
            return Html.page("Metrics", false, runs.append("</p>\n").append(body).toString());
        }
    }

    /** The pages' policy: no script, nothing from elsewhere, frames only of this server (a report's), framed by none. */
    static final String PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-src 'self';"
            + " form-action 'self'; frame-ancestors 'none'";

    /** The response to one request: headers once, then a body (none for HEAD). */
    private static final class Reply {
        private final HttpExchange x;
        final boolean head;
        private boolean sent;

        Reply(HttpExchange x) {
            this.x = x;
            this.head = x.getRequestMethod().equals("HEAD");
        }

        /** Sends the headers; the stream the body goes to (nowhere for HEAD). {@code download}: the file name it is saved as. */
        OutputStream start(int status, String type, long length, String download) throws IOException {
            // no script runs on any page (a report's frame comes from a URL of its own); a downloaded report opened here
            // runs nothing either
            if (download != null) {
                x.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"" + download + "\"");
            }
            return send(status, type, length, download == null ? PAGE_POLICY : "default-src 'none'; sandbox", "DENY");
        }

        /** Sends the headers of an HTML report for its frame ({@link Visualizations#FRAMED_POLICY}), only the UI's pages framing it. */
        OutputStream framed(long length) throws IOException {
            return send(200, "text/html; charset=utf-8", length, Visualizations.FRAMED_POLICY, "SAMEORIGIN");
        }

        private OutputStream send(int status, String type, long length, String policy, String framing) throws IOException {
            var h = x.getResponseHeaders();
            h.set("Content-Type", type);
            h.set("X-Content-Type-Options", "nosniff");
            h.set("Cache-Control", "no-store");
            h.set("Referrer-Policy", "no-referrer");
            h.set("X-Frame-Options", framing);
            h.set("Content-Security-Policy", policy);
            sent = true;
            if (head) {
                x.sendResponseHeaders(status, -1);
                return OutputStream.nullOutputStream();
            }
            x.sendResponseHeaders(status, length < 0 ? 0 : length == 0 ? -1 : length);
            return x.getResponseBody();
        }

        void html(String page) throws IOException {
            byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
            start(200, "text/html; charset=utf-8", bytes.length, null).write(bytes);
        }

        /** An error page, when no byte of another was sent yet. */
        void error(int status, String message, String help) {
            if (sent) {
                return;
            }
            String title = switch (status) {
                case 400 -> "Bad request";
                case 403 -> "Forbidden";
                case 404 -> "Not found";
                case 405 -> "Method not allowed";
                default -> "Error";
            };
            byte[] bytes = Html.page(title, false, "<p>" + Html.text(message) + "</p>\n"
                    + (help == null ? "" : "<p class=\"note\">" + Html.text(help) + "</p>\n")).getBytes(StandardCharsets.UTF_8);
            try {
                start(status, "text/html; charset=utf-8", bytes.length, null).write(bytes);
            } catch (IOException gone) {
                // the browser went away: nothing to tell it
            }
        }
    }

    /** A streamed body whose headers (200) go with its first byte, {@code prefix} before it. */
    private static final class Body extends OutputStream {
        private final Reply reply;
        private final String type;
        private final String download;
        private final String prefix;
        private OutputStream out;

        Body(Reply reply, String type, String download, String prefix) {
            this.reply = reply;
            this.type = type;
            this.download = download;
            this.prefix = prefix;
        }

        boolean started() {
            return out != null;
        }

        void start() throws IOException {
            out = reply.start(200, type, -1, download);
            out.write(prefix.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void write(int b) throws IOException {
            if (out == null) {
                start();
            }
            out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            if (out == null) {
                start();
            }
            out.write(b, off, len);
        }

        /** Writes {@code end} and closes the body. */
        void finish(String end) throws IOException {
            out.write(end.getBytes(StandardCharsets.UTF_8));
            out.close();
        }
    }
}
