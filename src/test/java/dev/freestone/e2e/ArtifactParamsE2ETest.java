package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A pipeline parameter that is a list of artifacts, given as file locations, runs locally. */
class ArtifactParamsE2ETest {
    @TempDir
    Path tmp;

    @Test
    void aListOfFilesBecomesAListOfArtifactsInOrder() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path a = Files.writeString(tmp.resolve("a.csv"), "x,y\n1,2\n");
        Path b = Files.writeString(tmp.resolve("b.csv"), "x,y\n3,4\n5,6\n");
        Path p = Files.writeString(tmp.resolve("rows.pipe"), """
                component rows(files: List[Dataset]) -> (counts: String) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import json, sys; open(sys.argv[2], 'w').write(','.join(str(len(open(f).read().splitlines()) - 1) for f in json.loads(sys.argv[1])))", files, counts]
                }

                pipeline tally(files: List[Dataset]) -> (counts: String) {
                  r = rows(files = files)
                  output counts = r.counts
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(),
                "-p", "files=[\"" + b + "\", \"" + a + "\"]").expect(0);
        assertTrue(r.out().contains("output counts = 2,1"), r::all);
        assertEquals("x,y\n1,2\n", Files.readString(a), "the user's files stay as they were");

        // a default is a list of locations relative to the .pipe file
        Path withDefault = Files.writeString(tmp.resolve("defaults.pipe"),
                Files.readString(p).replace("pipeline tally(files: List[Dataset])",
                        "pipeline tally(files: List[Dataset] = [\"a.csv\", \"b.csv\", \"a.csv\"])"));
        Freestone.Result byDefault = fs.cli("run", "--progress", "none", withDefault.toString()).expect(0);
        assertTrue(byDefault.out().contains("output counts = 1,2,1"), byDefault::all);

        Freestone.Result missing = fs.cli("run", "--progress", "none", p.toString(),
                "-p", "files=[\"" + a + "\", \"" + tmp.resolve("nope.csv") + "\"]").expect(1);
        assertTrue(missing.err().contains("error[E0606]: parameter `files`: no such file `" + tmp.resolve("nope.csv") + "`\n --> "
                + p + ":6:16\n"), missing::all);
        assertTrue(missing.err().contains("= help: looked for it at " + tmp.resolve("nope.csv")), missing::all);
        Freestone.assertNoTrace(missing.all());
    }

    @Test
    void aCalledPipelinesArtifactDefaultIsAFileBesideItsOwnModule() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("proj/lib/data"));
        Files.createDirectories(tmp.resolve("proj/.git"));
        Files.writeString(tmp.resolve("proj/lib/data/words.txt"), "one two three\n");
        Files.writeString(tmp.resolve("proj/lib/count.pipe"), """
                component words(text: Dataset) -> (n: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import sys; open(sys.argv[2], 'w').write(str(len(open(sys.argv[1]).read().split())))", text, n]
                }

                /// runs on its own too: the default is beside this file
                pipeline count(text: Dataset = "data/words.txt") -> (n: Int) {
                  w = words(text = text)
                  output n = w.n
                }
                """);
        Path flag = tmp.resolve("fail-once");
        Path main = Files.writeString(tmp.resolve("proj/main.pipe"), """
                import "lib/count.pipe" as c

                component gate(flag: String, n: Int) -> (n2: Int) {
                  image   = "python:3.12-slim"
                  command = ["python3", "-c", "import os, sys; sys.exit(3) if os.path.exists(sys.argv[1]) else open(sys.argv[3], 'w').write(sys.argv[2])", flag, n, n2]
                }

                pipeline main(flag: String) -> (n: Int, again: Int) {
                  k = c.count()
                  for i in [1, 2] {
                    again = c.count()
                  }
                  g = gate(flag = flag, n = k.n)
                  output n = g.n2
                  output again = again.n[0]
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(0);
        assertTrue(r.out().contains("output n = 3"), r::all);
        assertTrue(r.out().contains("output again = 3"), r::all);

        // the version is the compiled pipeline's, as `compile` says it
        Freestone.Result ir = fs.cli("compile", "--emit", "ir", main.toString(), "-p", "flag=x").expect(0);
        String version = ir.err().replaceAll("(?s).*sha256 ([0-9a-f]{12}).*", "$1");
        assertTrue(r.err().contains("(version " + version + ")"), r.all() + ir.all());

        // resume runs the recorded pipeline, the default's copy included, once the file is gone
        Files.writeString(flag, "");
        Freestone.Result failed = fs.cli("run", "--progress", "none", "--no-cache", main.toString(), "-p", "flag=" + flag).expect(1);
        Files.delete(flag);
        Files.delete(tmp.resolve("proj/lib/data/words.txt"));
        Freestone.Result resumed = fs.cli("resume", "--progress", "none", failed.runId()).expect(0);
        assertTrue(resumed.out().contains("output n = 3"), resumed::all);
        assertTrue(resumed.err().contains("version " + version), resumed::all);

        Freestone.Result gone = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(1);
        assertTrue(gone.err().contains("parameter `count.text`: no such file `data/words.txt`"), gone::all);
        // no --param reaches a called pipeline's parameter: the help names the call (it said --param count.text=PATH)
        assertTrue(gone.err().contains("= help: looked for it at " + tmp.resolve("proj/lib/data/words.txt") + " (relative to the"
                + " folder of the .pipe file that declares it); pass an existing file as the argument `text` of the call to"
                + " `count`"), gone::all);
        assertFalse(gone.err().contains("--param count.text"), gone::all);
        Freestone.assertNoTrace(gone.all());

        // a default that leaves the workspace is refused as a run's own is
        Files.writeString(tmp.resolve("outside.txt"), "a b\n");
        Files.writeString(tmp.resolve("proj/lib/count.pipe"), Files.readString(tmp.resolve("proj/lib/count.pipe"))
                .replace("\"data/words.txt\"", "\"../../outside.txt\""));
        Freestone.Result outside = fs.cli("run", "--progress", "none", main.toString(), "-p", "flag=" + flag).expect(1);
        assertTrue(outside.err().contains("is outside the workspace"), outside::all);
        assertTrue(outside.err().contains("pass another file as the argument `text` of the call to `count`"), outside::all);
    }

    private static final String LOAD = """
            component load(data: Dataset) -> (n: Int) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "wc -l < \\"$0\\" > \\"$1\\"", data, n]
            }

            pipeline count(data: Dataset) -> (n: Int) {
              l = load(data = data)
              output n = l.n
            }
            """;

    /** A data file that is not there is said at the parameter's declaration, with where it was looked for. */
    @Test
    void aMissingDataFileIsSaidAtTheParametersDeclaration() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "count.pipe", LOAD);
        Freestone.Result missing = fs.cli("run", "--progress", "none", p.toString(), "--param", "data=missing.csv").expect(1);
        Path cwd = Path.of("").toAbsolutePath();
        assertEquals("error[E0606]: parameter `data`: no such file `missing.csv`\n --> " + p + ":6:16\n  |\n"
                + "6 | pipeline count(data: Dataset) -> (n: Int) {\n  |                ^^^^^^^^^^^^^\n"
                + "  = help: looked for it at " + cwd.resolve("missing.csv") + " (relative to the current directory); pass an"
                + " existing file with --param data=PATH\n\n1 error found\n", missing.err());
        assertEquals("[ ]\n", fs.cli("runs", "--output", "json").expect(0).out(), "no run was started");

        // a URL: a local run reads files only
        Freestone.Result url = fs.cli("run", "--progress", "none", p.toString(), "-p", "data=https://example.com/d.csv").expect(1);
        assertTrue(url.err().startsWith("error[E0607]: parameter `data` is at https://example.com/d.csv, which a local run"
                + " cannot read\n --> " + p + ":6:16\n"), url::all);
        assertTrue(url.err().contains("= help: download it first (stdlib/util has `download`) or pass a local file with"
                + " --param data=PATH\n"), url::all);

        // a --params file that is not there is a usage error that says so once
        Freestone.Result noFile = fs.cli("run", "--progress", "none", p.toString(), "--params", "nope.yaml").expect(2);
        assertEquals("error: no such file: nope.yaml (given with --params)\n  = help: check the path; it is relative to the"
                + " current directory (" + cwd + ")\n", noFile.err());
    }

    /** A path in a --params file is relative to that file, as in every config file: the two move together. */
    @Test
    void aPathInAParamsFileIsRelativeToThatFile() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "count.pipe", LOAD);
        Files.createDirectories(tmp.resolve("exp"));
        Files.writeString(tmp.resolve("exp/data.csv"), "a\nb\nc\n");
        Path params = Files.writeString(tmp.resolve("exp/params.yaml"), "data: data.csv\n");
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(0);
        assertTrue(r.out().contains("output n = 3"), r::all);
        assertTrue(fs.cli("show", r.runId()).expect(0).out().contains("params   data = " + tmp.resolve("exp/data.csv")), r::all);

        // one that is not there is said at its place in the params file, with the folder it was looked for in
        Files.writeString(params, "# the training data\ndata: gone.csv\n");
        Freestone.Result gone = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(1);
        assertEquals("error[E0606]: parameter `data`: no such file `gone.csv`\n --> " + params + ":2:7\n  |\n"
                + "2 | data: gone.csv\n  |       ^^^^^^^^\n"
                + "  = help: looked for it at " + tmp.resolve("exp/gone.csv") + " (relative to the folder of the --params file "
                + params + "); pass an existing file with --param data=PATH\n\n1 error found\n", gone.err());
        // --param still wins, relative to the current directory
        Freestone.Result given = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString(),
                "-p", "data=" + tmp.resolve("exp/data.csv")).expect(0);
        assertTrue(given.out().contains("output n = 3"), given::all);
    }

    /** A file of a list that is not there is said at that element in the --params file, not at the whole list. */
    @Test
    void aMissingFileOfAListIsSaidAtItsElementInTheParamsFile() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "all.pipe", """
                component load(data: List[Dataset], groups: List[List[Dataset]]) -> (n: Int) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo 1 > $0", n, data, groups]
                }

                pipeline all(data: List[Dataset], groups: List[List[Dataset]] = []) -> (n: Int) {
                  l = load(data = data, groups = groups)
                  output n = l.n
                }
                """);
        Files.createDirectories(tmp.resolve("exp"));
        Files.writeString(tmp.resolve("exp/a.csv"), "a\n");
        Path yaml = Files.writeString(tmp.resolve("exp/params.yaml"), "data:\n  - a.csv\n  - gone.csv\n");
        Freestone.Result block = fs.cli("run", "--progress", "none", p.toString(), "--params", yaml.toString()).expect(1);
        assertEquals("error[E0606]: parameter `data`: no such file `gone.csv`\n --> " + yaml + ":3:5\n  |\n"
                + "3 |   - gone.csv\n  |     ^^^^^^^^\n"
                + "  = help: looked for it at " + tmp.resolve("exp/gone.csv") + " (relative to the folder of the --params file "
                + yaml + "); pass an existing file with --param data=PATH\n\n1 error found\n", block.err());

        // JSON, and a list inside a list: the element itself
        Path json = Files.writeString(tmp.resolve("exp/params.json"),
                "{\"data\": [\"a.csv\", \"a.csv\"],\n \"groups\": [[\"a.csv\"], [\"a.csv\", \"nope.csv\"]]}\n");
        Freestone.Result nested = fs.cli("run", "--progress", "none", p.toString(), "--params", json.toString()).expect(1);
        assertTrue(nested.err().startsWith("error[E0606]: parameter `groups`: no such file `nope.csv`\n --> " + json + ":2:34\n  |\n"
                + "2 |  \"groups\": [[\"a.csv\"], [\"a.csv\", \"nope.csv\"]]}\n  | " + " ".repeat(33) + "^^^^^^^^^^\n"),
                nested::all);
        assertEquals("[ ]\n", fs.cli("runs", "--output", "json").expect(0).out(), "no run was started");
    }

    /** A secret set nowhere is said at the `secret(...)` that reads it, with where it is looked for. */
    @Test
    void anUnsetSecretIsSaidAtItsCall() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "db.pipe", """
                component query(sql: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo \\"$0\\"", sql]
                  env {
                    TOKEN = secret("qa12-nowhere", "password")
                  }
                }

                pipeline nightly() {
                  query(sql = "select 1")
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertEquals(unsetSecretSaid(p, 5, "    TOKEN = secret(\"qa12-nowhere\", \"password\")", "qa12-nowhere"), r.err());
        assertEquals("[ ]\n", fs.cli("runs", "--output", "json").expect(0).out(), "no run was started");
    }

    /** E0608 of the secret {@code name}'s key `password`, given as `TOKEN`, at its {@code secret(...)} on {@code line}. */
    private String unsetSecretSaid(Path p, int line, String text, String name) {
        int column = text.indexOf("secret(") + 1;
        return "error[E0608]: secret `" + name + "` key `password` (env `TOKEN`) is not set on this machine\n --> "
                + p + ":" + line + ":" + column + "\n  |\n" + line + " | " + text + "\n"
                + "  | " + " ".repeat(column - 1) + "^".repeat(("secret(\"" + name + "\", \"password\")").length()) + "\n"
                + "  = help: set $FREESTONE_SECRET_" + name.toUpperCase().replace('-', '_') + "_PASSWORD or write it to "
                + tmp.resolve("home/secrets/" + name + "/password") + " (nothing was started)\n\n1 error found\n";
    }

    /**
     * A secret given at a call, KFP's `use_secret_as_env` on one task (`with { env { ... } }`), in a pipeline the run's
     * pipeline calls: said at that `secret(...)` too, where it was a plain error with no place.
     */
    @Test
    void anUnsetSecretOfACallIsSaidAtItsCall() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "db.pipe", """
                component query(sql: String) { image = "alpine:3.20"  command = ["echo", sql] }
                pipeline main() { n = nightly() }

                pipeline nightly() {
                  q = query(sql = "select 1") with { env { TOKEN = secret("qa13-nowhere", "password") } }
                }
                """);
        Freestone.Result r = fs.cli("run", "--progress", "none", "--pipeline", "main", p.toString()).expect(1);
        assertEquals(unsetSecretSaid(p, 5, "  q = query(sql = \"select 1\") with { env { TOKEN = secret(\"qa13-nowhere\","
                + " \"password\") } }", "qa13-nowhere"), r.err());
        assertEquals("[ ]\n", fs.cli("runs", "--output", "json").expect(0).out(), "no run was started");
    }

    /**
     * resume reads the secrets again: one set nowhere now is E0608 at its `secret(...)` before any run is made (a run
     * made and then refused stayed Pending, its engine gone, and the error named no secret); with the .pipe gone,
     * where the run's pipeline came from, the help says there is nothing to point at.
     */
    @Test
    void resumeSaysAnUnsetSecretBeforeMakingARun() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "db.pipe", """
                component prepare() -> (sql: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "exit 3"]
                }
                component query(sql: String) {
                  image   = "alpine:3.20"
                  env { TOKEN = secret("qa12-later", "password") }
                  command = ["sh", "-c", "echo \\"$0\\"", sql]
                }

                pipeline nightly() {
                  q = prepare()
                  query(sql = q.sql)
                }
                """);
        Path secret = tmp.resolve("home/secrets/qa12-later/password");
        Files.createDirectories(secret.getParent());
        Files.writeString(secret, "s3cr3t");
        String failed = fs.cli("run", "--progress", "none", p.toString()).expect(1).runId();
        Files.delete(secret);
        String help = "  = help: set $FREESTONE_SECRET_QA12_LATER_PASSWORD or write it to " + secret + " (nothing was started";
        Freestone.Result r = fs.cli("resume", "--progress", "none", failed).expect(1);
        assertEquals("error[E0608]: secret `qa12-later` key `password` (env `TOKEN`) is not set on this machine\n --> "
                + p + ":7:17\n  |\n7 |   env { TOKEN = secret(\"qa12-later\", \"password\") }\n"
                + "  |                 " + "^".repeat(32) + "\n" + help + ")\n\n1 error found\n", r.err());
        Files.move(p, tmp.resolve("moved.pipe"));
        Freestone.Result gone = fs.cli("resume", "--progress", "none", failed).expect(1);
        assertEquals("error[E0608]: secret `qa12-later` key `password` (env `TOKEN`) is not set on this machine\n"
                + " --> resume " + failed + ":1:1\n" + help + "; resume runs the pipeline as " + failed + " recorded it, and"
                + " there is no `secret(...)` for it in " + p + " now to point at)\n\n1 error found\n", gone.err());
        assertEquals(1, fs.cli("runs", "--output", "json").expect(0).out().split("\"id\"", -1).length - 1,
                "no run was made by either resume");
    }

    /**
     * A default outside the workspace (E0609) and a file that cannot be read (E0610) are said at the declaration or the
     * --params line, as a missing one is, where they were plain errors; nothing is started.
     */
    @Test
    void aDefaultOutsideTheWorkspaceAndAnUnreadableFileAreSaidWhereTheyCameFrom() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Files.createDirectories(tmp.resolve("proj/.git"));
        Files.writeString(tmp.resolve("outside.csv"), "a\n");
        Path p = Freestone.pipe(tmp.resolve("proj"), "count.pipe", LOAD.replace("count(data: Dataset)", "count(data: Dataset = \"../outside.csv\")"));
        Freestone.Result outside = fs.cli("run", "--progress", "none", p.toString()).expect(1);
        assertEquals("error[E0609]: parameter `data`: its default `../outside.csv` is outside the workspace (" + tmp.resolve("proj")
                + ")\n --> " + p + ":6:16\n  |\n6 | pipeline count(data: Dataset = \"../outside.csv\") -> (n: Int) {\n"
                + "  |                " + "^".repeat(32) + "\n  = help: a default names a file of the pipeline's workspace, the git"
                + " checkout holding it (else its folder): move the file into it, or pass another file with --param data=PATH\n"
                + "\n1 error found\n", outside.err());
        // given on the command line, the same file is the user's choice
        assertTrue(fs.cli("run", "--progress", "none", p.toString(), "-p", "data=" + tmp.resolve("outside.csv")).expect(0)
                .out().contains("output n = 1"));

        // a FIFO is no file a run can copy (a file it may not read: UnreadableFilesE2ETest, run as a plain user)
        Path fifo = tmp.resolve("exp/pipe.csv");
        Files.createDirectories(fifo.getParent());
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        Path params = Files.writeString(tmp.resolve("exp/params.yaml"), "data: pipe.csv\n");
        Freestone.Result fifoRun = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(1);
        assertEquals("error[E0610]: parameter `data`: cannot read `pipe.csv`: cannot store " + fifo + ": not a regular file or a"
                + " directory\n --> " + params + ":1:7\n  |\n1 | data: pipe.csv\n  |       ^^^^^^^^\n"
                + "  = help: a file parameter names a regular file or a folder: pass one with --param data=PATH\n\n1 error found\n",
                fifoRun.err());

        assertEquals(1, fs.cli("runs", "--output", "json").expect(0).out().split("\"id\"", -1).length - 1,
                "only the run given the file was made");
    }

    /**
     * A file inside a struct parameter is not read from its location (the engine refused the text as a plain error): E0603
     * at the --params line or the declaration, saying to give the file as a parameter of its own.
     */
    @Test
    void aFileInsideAStructParameterIsSaidAtItsValue() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "split.pipe", "struct Split {\n  train: Dataset\n  ratio: Float\n}\n\n"
                + LOAD.replace("count(data: Dataset)", "count(s: Split)").replace("load(data = data)", "load(data = s.train)"));
        Files.writeString(tmp.resolve("d.csv"), "a\nb\n");
        Path params = Files.writeString(tmp.resolve("params.yaml"), "s:\n  train: d.csv\n  ratio: 0.5\n");
        String says = "error[E0603]: parameter `s` expects `Split`: `train` in it is a file, which a run takes only as a parameter"
                + " of its own (or a list of them)\n";
        String help = "  = help: declare the file as a parameter of its own, `train: Dataset`, and pass it with --param"
                + " train=PATH\n\n1 error found\n";
        Freestone.Result r = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(1);
        assertEquals(says + " --> " + params + ":2:3\n  |\n2 |   train: d.csv\n  |   ^^^^^^^^^^^^\n" + help, r.err());
        Freestone.Result given = fs.cli("run", "--progress", "none", p.toString(), "-p", "s={\"train\": \"d.csv\", \"ratio\": 0.5}")
                .expect(1);
        assertEquals(says + "  --> " + p + ":11:16\n   |\n11 | pipeline count(s: Split) -> (n: Int) {\n   |                ^^^^^^^^\n"
                + help.replace("  = help", "   = help"), given.err());

        // a value that does not parse has no sample of `Split` for its help (its file as a string would not run either):
        // the form that runs, the file as a parameter of its own
        String works = "  = help: `train` in it is a file, which a run takes only as a parameter of its own (or a list of"
                + " them): declare it so, `train: Dataset`, and pass it with --param train=PATH\n\n1 error found\n";
        Freestone.Result missing = fs.cli("run", "--progress", "none", p.toString(), "-p", "s={\"ratio\": 0.5}").expect(1);
        assertEquals("error[E0603]: parameter `s` expects `Split`: field `train` is missing\n --> --param s:1:1\n" + works,
                missing.err());
        Files.writeString(params, "s: [0.5]\n");
        Freestone.Result list = fs.cli("run", "--progress", "none", p.toString(), "--params", params.toString()).expect(1);
        assertEquals("error[E0603]: parameter `s` expects `Split`: the value is not a JSON object\n --> " + params
                + ":1:4\n  |\n1 | s: [0.5]\n  |    ^^^^^\n" + works, list.err());
        assertEquals("[ ]\n", fs.cli("runs", "--output", "json").expect(0).out(), "no run was started");
    }

    /** An input read only by a secret(...) whose name is no constant is that error, not also "never used" (W0002). */
    @Test
    void anInputReadBySecretsNameIsNotAlsoUnused() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path p = Freestone.pipe(tmp, "db.pipe", """
                component query(name: String) {
                  image   = "alpine:3.20"
                  command = ["sh", "-c", "echo hi"]
                  env {
                    TOKEN = secret(name, "password")
                  }
                }

                pipeline nightly(name: String) {
                  query(name = name)
                }
                """);
        Freestone.Result r = fs.cli("check", p.toString()).expect(1);
        assertTrue(r.err().contains("error[E0503]: setting `env.TOKEN` expects a constant String, found `name`"), r::all);
        assertFalse(r.err().contains("W0002"), r::all);
        assertTrue(r.err().endsWith("1 error found\n"), r::all);
    }
}
