package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.testing.CliRun;
import dev.freestone.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * E0510 where it was blind (docs/security.md): interpreters it did not know, wrappers with a value of their
 * own before the command, and code built in {@code env} that a shell runs again. Each case is one component in
 * a file, checked by {@code freestone check} as a user runs it: the code, {@code file:line:col} of the value and
 * the help line. The safe forms next to each (the value as its own argv element or a variable the code reads)
 * check clean.
 */
class CodeSplicesCliTest {
    private static final String HELP_SH = "pass `msg` as its own argv element after the code and read it there (`\"$0\"`),"
            + " or set it in `env` and read that variable";
    private static final String HELP_PY = "pass `msg` as its own argv element after the code and read it there"
            + " (`sys.argv[1]`), or set it in `env` and read that variable";

    @TempDir
    Path dir;

    /** Checks a file holding one component with inputs {@code msg: String} and {@code cmd: String} and {@code settings}. */
    private Path component(String settings) throws IOException {
        Path p = dir.resolve("p.pipe");
        Files.writeString(p, "component c(msg: String, cmd: String, n: Int) -> (out: String) {\n  image = \"alpine\"\n"
                + settings + "\n}\n");
        return p;
    }

    private CliRun check(Path p) {
        return CliRun.command(Map.of("FREESTONE_HOME", dir.resolve("home").toString()), "check", p.toString());
    }

    /**
     * {@code settings} is one E0510: the splice {@code written} (as the file writes it: {@code ${msg}}, {@code $msg})
     * into the code {@code program} runs, at the first {@code where} of the file, with {@code help}.
     */
    private void assertSplice(String settings, String written, String program, String where, String help) throws IOException {
        Path p = component(settings);
        CliRun r = check(p);
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.err().split("error\\[E0510\\]", -1).length - 1, r.err());
        List<String> block = CheckOutputTest.block(r.err(),
                "error[E0510]: `" + written + "` splices a value into the code `" + program + "` runs");
        String text = Files.readString(p);
        int at = text.indexOf(where);
        int line = (int) text.substring(0, at).chars().filter(ch -> ch == '\n').count() + 1;
        int column = at - text.lastIndexOf('\n', at - 1);
        assertEquals(" --> " + p + ":" + line + ":" + column, block.get(1).replaceFirst("^ +-->", " -->"), r.err());
        assertEquals("= help: " + help, block.get(5).strip(), r.err());
    }

    private void assertClean(String settings) throws IOException {
        CliRun r = check(component(settings));
        assertEquals(0, r.code(), settings + "\n" + r.err());
    }

    @Test
    void interpretersItDidNotKnow() throws IOException {
        assertSplice("  command = [\"fish\", \"-c\", \"echo ${msg} > $argv[1]\", out]", "${msg}", "fish", "msg} >",
                "pass `msg` as its own argv element after the code and read it there (`$argv[1]`), or set it in `env`"
                        + " and read that variable");
        for (String awk : List.of("awk", "gawk", "mawk", "/usr/bin/awk")) {
            assertSplice("  command = [\"" + awk + "\", \"-F\", \",\", \"{ print $1, \\\"${msg}\\\" }\", out]", "${msg}",
                    awk.substring(awk.lastIndexOf('/') + 1), "msg}", "set `msg` in `env` (`MSG = msg`) and read it in the"
                            + " code (`ENVIRON[\"MSG\"]`)");
        }
        assertSplice("  command = [\"gawk\", \"-v\", \"n=${n}\", \"-e\", \"BEGIN { print \\\"${msg}\\\" }\"]", "${msg}", "gawk",
                "msg}", "set `msg` in `env` (`MSG = msg`) and read it in the code (`ENVIRON[\"MSG\"]`)");
        assertSplice("  command = [\"php\", \"-r\", \"echo '${msg}';\"]", "${msg}", "php", "msg}",
                "pass `msg` as its own argv element after the code and read it there (`$argv[1]`), or set it in `env`"
                        + " and read that variable");
        assertSplice("  command = [\"julia\", \"--threads\", \"4\", \"-e\", \"println(\\\"${msg}\\\")\"]", "${msg}", "julia",
                "msg}", "pass `msg` as its own argv element after the code and read it there (`ARGS[1]`), or set it in"
                        + " `env` and read that variable");
        assertSplice("  command = [\"lua5.4\", \"-e\", \"x = 1\", \"-e\", \"print('${msg}')\"]", "${msg}", "lua5.4", "msg}",
                "set `msg` in `env` (`MSG = msg`) and read it in the code (`os.getenv(\"MSG\")`)");
        assertSplice("  command = [\"perl\", \"-e\", \"use strict;\", \"-e\", \"print '${msg}'\"]", "${msg}", "perl", "msg}",
                "pass `msg` as its own argv element after the code and read it there (`$ARGV[0]`), or set it in `env`"
                        + " and read that variable");
        // pwsh joins every argument after -Command into the code: its own argv element is no way out there
        String pwsh = "set `msg` in `env` (`MSG = msg`) and read it in the code (`$env:MSG`): pwsh runs every argument"
                + " after `-Command` as code";
        assertSplice("  command = [\"pwsh\", \"-NoProfile\", \"-Command\", \"Set-Content $args[0] '${msg}'\", out]", "${msg}",
                "pwsh", "msg}", pwsh);
        assertSplice("  command = [\"pwsh\", \"-c\", \"Write-Output\", msg]", "msg", "pwsh", "msg]", pwsh);

        assertClean("  command = [\"fish\", \"-c\", \"echo $argv[1] > $argv[2]\", msg, out]");
        assertClean("  command = [\"awk\", \"-v\", \"m=${msg}\", \"-vk=${cmd}\", \"BEGIN { print m, k }\"]");
        assertClean("  command = [\"awk\", \"-f\", \"prog.awk\", \"${msg}\"]");
        assertClean("  env { MSG = msg }\n  command = [\"awk\", \"BEGIN { print ENVIRON[\\\"MSG\\\"] }\"]");
        assertClean("  command = [\"php\", \"-r\", \"echo $argv[1];\", msg]");
        assertClean("  env { MSG = msg }\n  command = [\"pwsh\", \"-c\", \"Write-Output $env:MSG\"]");
        assertClean("  command = [\"pwsh\", \"-File\", \"run.ps1\", msg]");
        assertClean("  command = [\"pwsh\", \"-c\", cmd]");
    }

    @Test
    void wrappersWithAValueOfTheirOwn() throws IOException {
        assertSplice("  command = [\"sudo\", \"-u\", \"ml\", \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"conda\", \"run\", \"-n\", \"ml\", \"python\", \"-c\", \"print('${msg}')\"]", "${msg}",
                "python", "msg}", HELP_PY);
        assertSplice("  command = [\"uv\", \"run\", \"--with\", \"numpy\", \"python3\", \"-c\", \"print('${msg}')\"]", "${msg}",
                "python3", "msg}", HELP_PY);
        assertSplice("  command = [\"chroot\", \"/srv/root\", \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"xargs\", \"-n\", \"1\", \"-P\", \"4\", \"sh\", \"-c\", \"echo ${msg} $0\"]", "${msg}", "sh",
                "msg}", HELP_SH);
        assertSplice("  command = [\"timeout\", \"-s\", \"KILL\", \"30s\", \"stdbuf\", \"-o\", \"L\", \"python3\", \"-c\","
                + " \"print('${msg}')\"]", "${msg}", "python3", "msg}", HELP_PY);
        assertSplice("  command = [\"nice\", \"-n\", \"5\", \"ionice\", \"-c\", \"2\", \"setsid\", \"nohup\", \"bash\", \"-c\","
                + " \"echo ${msg}\"]", "${msg}", "bash", "msg}", HELP_SH);
        assertSplice("  command = [\"gosu\", \"ml\", \"mpirun\", \"-np\", \"4\", \"python3\", \"-c\", \"print('${msg}')\"]",
                "${msg}", "python3", "msg}", HELP_PY);
        assertSplice("  command = [\"flock\", \"/tmp/train.lock\", \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}",
                HELP_SH);
        // flock and su run their `-c` with a shell themselves
        assertSplice("  command = [\"flock\", \"-w\", \"10\", \"/tmp/train.lock\", \"-c\", \"echo ${msg}\"]", "${msg}",
                "flock -c", "msg}", "give the command as an argv after the lock file, `\"sh\", \"-c\", CODE, msg`, and read"
                        + " `\"$0\"` there");
        assertSplice("  command = [\"su\", \"-\", \"ml\", \"-c\", \"echo ${msg}\"]", "${msg}", "su -c", "msg}",
                "set `msg` in `env` (`MSG = msg`), keep the environment with `-m`, and read `\"$MSG\"` in the code");

        assertClean("  command = [\"sudo\", \"-u\", \"ml\", \"python3\", \"train.py\", \"--msg=${msg}\"]");
        assertClean("  command = [\"conda\", \"run\", \"-n\", \"ml\", \"python\", \"train.py\", msg]");
        assertClean("  command = [\"conda\", \"install\", \"-y\", \"sh\", \"-c\", \"${msg}x\"]");
        assertClean("  command = [\"flock\", \"/tmp/train.lock\", \"sh\", \"-c\", \"echo \\\"$1\\\"\", \"sh\", msg]");
        assertClean("  command = [\"env\", \"MSG=${msg}\", \"python3\", \"-c\", \"import os; print(os.environ['MSG'])\"]");
        assertClean("  command = [\"gosu\", \"ml\", \"sh\", \"-c\", \"echo \\\"$0\\\"\", msg]");
    }

    @Test
    void codeBuiltInEnvAndRunAgainByAShell() throws IOException {
        assertSplice("  env { CMD = \"echo ${msg}\" }\n  command = [\"sh\", \"-c\", \"eval \\\"$CMD\\\"\"]", "${msg}", "eval",
                "msg}", "build no code in `env`: set `msg` alone there (`MSG = msg`) and read it in the code (`\"$MSG\"`)");
        assertSplice("  env { CMD = \"echo ${msg} > /tmp/x\" }\n  command = [\"bash\", \"-euc\", \"cd /data && sh -c \\\"$CMD\\\"\"]",
                "${msg}", "sh", "msg}", "build no code in `env`: set `msg` alone there (`MSG = msg`) and read it in the code"
                        + " (`\"$MSG\"`)");
        assertSplice("  env {\n    CODE = \"print('${msg}')\"\n  }\n  command = [\"sh\", \"-c\", \"exec python3 -c \\\"\\${CODE}\\\"\"]",
                "${msg}", "python3", "msg}", "build no code in `env`: set `msg` alone there (`MSG = msg`) and read it in"
                        + " the code (`os.environ[\"MSG\"]`)");
        // a variable holding the value, written by the shell into the code of another program
        assertSplice("  env { MSG = msg }\n  command = [\"sh\", \"-c\", \"python3 -c \\\"print('$MSG')\\\" > $0\", out]", "$MSG",
                "python3", "MSG')", "the shell writes `$MSG` into the code: read the variable in the code itself"
                        + " (`os.environ[\"MSG\"]`), the code in single quotes");

        // the shell splits `$CMD` into words when it is a command of its own: no code is read from it
        assertClean("  env { CMD = \"echo ${msg}\" }\n  command = [\"sh\", \"-c\", \"$CMD\"]");
        assertClean("  env { CMD = cmd }\n  command = [\"sh\", \"-c\", \"eval \\\"$CMD\\\"\"]");
        assertClean("  env { MSG = msg }\n  command = [\"sh\", \"-c\", \"python3 -c 'import os; print(os.environ[\\\"MSG\\\"])'\"]");
        assertClean("  env { MSG = msg }\n  command = [\"sh\", \"-c\", \"echo \\\"$MSG\\\" > \\\"$0\\\"\", out]");
        assertClean("  env { N = \"${n}\" }\n  command = [\"sh\", \"-c\", \"python3 -c \\\"print($N)\\\"\"]");
        assertClean("  command = [\"sh\", \"-c\", \"echo \\\"$1\\\"\", \"sh\", msg]");
    }

    /** A shell script's inputs are its variables: a runner in the script that has the shell write one into its code. */
    @Test
    void aShellScriptWritingAnInputIntoCode() throws IOException {
        assertSplice("""
                  script = sh \"""
                    set -eu
                    python3 -c "print('$msg')" > "$out"
                  \"""
                """, "$msg", "python3", "msg')", "the shell writes `$msg` into the code: read the variable in the code"
                + " itself (`os.environ[\"msg\"]`), the code in single quotes");
        assertSplice("""
                  script = bash \"""
                    if [ -n "$msg" ]; then eval "echo ${msg}" > "$out"; fi
                  \"""
                """, "${msg}", "eval", "msg}\"", "the shell writes `$msg` into the code: read the variable in the code itself"
                + " (`\"$msg\"`), the code in single quotes");

        assertClean("""
                  script = sh \"""
                    python3 -c 'import os; print(os.environ["msg"])' > "$out"
                    sh -c 'echo "$1"' sh "$msg" >> "$out"
                    python3 -c "print($n)" >> "$out"
                    eval "$cmd"
                  \"""
                """);
        assertClean("""
                  script = python \"""
                    import os, subprocess
                    subprocess.run(["sh", "-c", 'echo "$1"', "sh", os.environ["msg"]])
                  \"""
                """);
    }

    /**
     * {@code sh -c CODE ARG0 ARG1...} sets {@code $0}, {@code $1}, ... ({@code "$@"} and {@code $*} from {@code $1} on) to
     * the arguments after the code: one holding an input is that input where the shell writes it into another
     * program's code. A {@code script}'s own positional parameters hold nothing: the engine and Argo pass it none.
     */
    @Test
    void aShellWritingItsPositionalParametersIntoCode() throws IOException {
        String psql = "give `msg` to psql as a variable, `-v msg=...`, and read it as `:'msg'` (a value; `:\"msg\"` for a"
                + " table or column name) in SQL that psql reads from a file (`-f`) or its standard input (`-c` replaces no"
                + " variables)";
        assertSplice("  command = [\"sh\", \"-c\", \"psql -Atc \\\"select $0\\\"\", msg]", "$0", "psql", "0\\\"\", msg",
                "the shell writes `$0` into the code: " + psql);
        assertSplice("  command = [\"bash\", \"-c\", \"psql \\\"$DB\\\" -c \\\"delete from t where id = '$1'\\\"\", \"bash\", msg]",
                "$1", "psql", "1'", "the shell writes `$1` into the code: " + psql);
        assertSplice("  command = [\"timeout\", \"60\", \"sh\", \"-ec\", \"psql -c \\\"select $*\\\"\", \"sh\", \"id-${msg}\"]",
                "$*", "psql", "*\\\"", "the shell writes `$*` into the code: " + psql);
        assertSplice("  command = [\"sh\", \"-c\", \"python3 -c \\\"print('$@')\\\"\", \"sh\", msg]", "$@", "python3", "@')",
                "the shell writes `$@` into the code: " + HELP_PY);

        assertClean("  command = [\"sh\", \"-c\", \"psql -v v=\\\"$0\\\" -f load.sql\", msg]");
        assertClean("  command = [\"sh\", \"-c\", \"echo \\\"$0\\\"\", msg]");
        assertClean("  command = [\"sh\", \"-c\", \"python3 -c \\\"import sys; print(sys.argv[1])\\\" \\\"$0\\\"\", msg]");
        assertClean("  command = [\"sh\", \"-c\", \"psql -c \\\"select $1\\\"\", msg]"); // msg is $0
        assertClean("  command = [\"sh\", \"-c\", \"psql -c \\\"select $@\\\"\", msg]");
        assertClean("  command = [\"sh\", \"-c\", \"psql -c \\\"select $0\\\"\", \"${n}\"]");
        assertClean("  command = [\"sh\", \"-c\", \"psql -c \\\"$0\\\"\", cmd]"); // the SQL is the input alone
        assertClean("""
                  script = sh \"""
                    psql -c "select '$1'" > "$out"
                  \"""
                """);
    }

    /**
     * A here-document's body is what its command reads, not commands: data for {@code cat > file}, quoted or not, and
     * code with the inputs written in for a shell or interpreter that reads its code there.
     */
    @Test
    void hereDocuments() throws IOException {
        String stdin = "the shell writes `$msg` into the code `%s` reads on its standard input: keep the shell from"
                + " expanding it (`<<'EOF'`, `<<< '...'`) and read the variable in the code itself (`%s`)";
        assertSplice("""
                  script = sh \"""
                    python3 - <<EOF > "$out"
                    print("$msg")
                    EOF
                  \"""
                """, "$msg", "python3", "msg\")", stdin.formatted("python3", "os.environ[\"msg\"]"));
        assertSplice("""
                  script = bash \"""
                    bash -s <<-END
                    \techo ${msg} > "$out"
                    \tEND
                  \"""
                """, "${msg}", "bash", "msg}", stdin.formatted("bash", "\"$msg\""));
        assertSplice("""
                  script = bash \"""
                    python3 <<< "print('$msg')" >"$out" 2>&1
                  \"""
                """, "$msg", "python3", "msg')", stdin.formatted("python3", "os.environ[\"msg\"]"));
        // the body of a here-document written to a file holds no command; the commands after it are read again
        assertSplice("""
                  script = sh \"""
                    cat > /tmp/run.sh <<'EOF'
                    sh -c "echo $msg"
                    EOF
                    cat <<EOF > /tmp/notes.txt
                    python3 -c "print('$msg')"
                    EOF
                    eval "echo $msg" > "$out"
                  \"""
                """, "$msg", "eval", "msg\" >", "the shell writes `$msg` into the code: read the variable in the code"
                + " itself (`\"$msg\"`), the code in single quotes");

        assertClean("""
                  script = sh \"""
                    cat > /tmp/run.sh <<EOF
                    sh -c "echo $msg"
                    EOF
                    python3 - "$msg" <<'PY' > "$out"
                    import sys; print(sys.argv[1])
                    PY
                    python3 train.py <<EOF
                    $msg
                    EOF
                    python3 -m train <<EOF
                    $msg
                    EOF
                    x=$((1<<2))
                  \"""
                """);
    }

    /**
     * A SQL client runs the statement it is given as an argument: a value spliced into it is SQL injection. The way
     * out is the client's own (a psql variable, a query parameter), so the help names it; where the client binds
     * none (mysql, sqlite3) it says to bind the value in a program.
     */
    @Test
    void sqlClients() throws IOException {
        String psql = "give `msg` to psql as a variable, `-v msg=...`, and read it as `:'msg'` (a value; `:\"msg\"` for a table or column name) in SQL that psql reads from"
                + " a file (`-f`) or its standard input (`-c` replaces no variables)";
        assertSplice("  command = [\"psql\", \"postgres://db/ml\", \"-v\", \"ON_ERROR_STOP=1\", \"-c\", \"INSERT INTO t"
                + " VALUES ('${msg}')\"]", "${msg}", "psql", "msg}'", psql);
        assertSplice("  command = [\"psql\", \"-At\", \"--command=SELECT '${msg}'\"]", "${msg}", "psql", "msg}'", psql);
        assertSplice("  command = [\"mysql\", \"-u\", \"ml\", \"ml\", \"--execute\", \"DELETE FROM t WHERE k = '${msg}'\"]",
                "${msg}", "mysql", "msg}'", "run the statement from a program whose database driver binds `msg` as a"
                        + " parameter, read from its argv or `env` (the mysql client binds none)");
        assertSplice("  command = [\"sqlite3\", \"-csv\", \"/data/${msg}.db\", \"SELECT * FROM t WHERE k = '${msg}'\"]",
                "${msg}", "sqlite3", "msg}'\"", "run the statement from a program whose driver binds `msg` as a parameter"
                        + " (`?` in Python's `sqlite3`, the value from `sys.argv[1]`): the sqlite3 shell binds none from"
                        + " its arguments");
        // the sqlite3 shell runs every argument after the database in turn: a statement after a dot-command is SQL too
        assertSplice("  command = [\"sqlite3\", \"ml.db\", \".headers on\", \"SELECT * FROM t WHERE k = '${msg}'\"]",
                "${msg}", "sqlite3", "msg}'\"", "run the statement from a program whose driver binds `msg` as a parameter"
                        + " (`?` in Python's `sqlite3`, the value from `sys.argv[1]`): the sqlite3 shell binds none from"
                        + " its arguments");
        assertSplice("  command = [\"duckdb\", \"data.duckdb\", \"-c\", \"COPY (SELECT '${msg}') TO 'out.csv'\"]", "${msg}",
                "duckdb", "msg}'", "set `MSG` in `env` and read it in the SQL with `getenv('MSG')`, a value there (the"
                        + " duckdb shell's function)");
        assertSplice("  command = [\"clickhouse-client\", \"--host\", \"ch\", \"--query\", \"SELECT '${msg}'\"]", "${msg}",
                "clickhouse-client", "msg}'", "pass `msg` as a query parameter, `--param_msg=...`, and read it as"
                        + " `{msg:String}` in the query");
        assertSplice("  command = [\"bq\", \"--location=EU\", \"query\", \"--use_legacy_sql=false\", \"SELECT '${msg}'\"]",
                "${msg}", "bq", "msg}'", "pass `msg` as a query parameter, `--parameter=msg::...`, and read it as `@msg` in"
                        + " the query");
        // the SQL a client reads on its standard input, with the shell writing the value into it
        assertSplice("""
                  script = sh \"""
                    psql "$DATABASE_URL" <<EOF > "$out"
                    SELECT '$msg';
                    EOF
                  \"""
                """, "$msg", "psql", "msg';", "the shell writes `$msg` into the code `psql` reads on its standard input:"
                + " keep the shell from expanding it (`<<'EOF'`, `<<< '...'`) and give `msg` to psql as a variable,"
                + " `-v msg=...`, and read it as `:'msg'` (a value; `:\"msg\"` for a table or column name) in SQL that psql reads from a file (`-f`) or its standard input"
                + " (`-c` replaces no variables)");

        assertClean("  command = [\"psql\", \"ml\", \"-v\", \"msg=${msg}\", \"-f\", \"insert.sql\"]");
        assertClean("  command = [\"psql\", \"--set=msg=${msg}\", \"-c\", \"SELECT ${n}\", \"-c\", cmd]");
        assertClean("  command = [\"sqlite3\", \"/data/${msg}.db\", \".headers on\", \"SELECT count(*) FROM t\"]");
        assertClean("  env { MSG = msg }\n  command = [\"duckdb\", \"-c\", \"SELECT getenv('MSG')\"]");
        assertClean("  command = [\"clickhouse-client\", \"--param_msg=${msg}\", \"-q\", \"SELECT {msg:String}\"]");
        assertClean("  command = [\"bq\", \"query\", \"--parameter=msg::${msg}\", \"SELECT @msg\"]");
        assertClean("""
                  script = sh \"""
                    psql "$DATABASE_URL" -v msg="$msg" <<'EOF' > "$out"
                    SELECT :'msg';
                    EOF
                    mysql ml -e "SELECT $n"
                  \"""
                """);
    }

    /** Interpreters it did not know yet; and `python3 -m`, which runs a module, no code given as an argument. */
    @Test
    void moreInterpreters() throws IOException {
        assertSplice("  command = [\"R\", \"--no-echo\", \"-e\", \"write('${msg}', '${out}')\"]", "${msg}", "R", "msg}'",
                "set `msg` in `env` (`MSG = msg`) and read it in the code (`Sys.getenv(\"MSG\")`)");
        assertSplice("  command = [\"osascript\", \"-e\", \"display notification \\\"${msg}\\\"\"]", "${msg}", "osascript",
                "msg}", "set `msg` in `env` (`MSG = msg`) and read it in the code (`system attribute \"MSG\"`)");
        assertSplice("  command = [\"deno\", \"eval\", \"--ext=ts\", \"console.log('${msg}')\"]", "${msg}", "deno", "msg}'",
                "set `msg` in `env` (`MSG = msg`) and read it in the code (`Deno.env.get(\"MSG\")`)");
        assertSplice("  command = [\"bun\", \"--eval=console.log('${msg}')\"]", "${msg}", "bun", "msg}'",
                "set `msg` in `env` (`MSG = msg`) and read it in the code (`process.env.MSG`)");
        // Tcl reads its code from a file or its standard input only
        assertSplice("""
                  script = sh \"""
                    tclsh <<EOF > "$out"
                    puts "$msg"
                    EOF
                  \"""
                """, "$msg", "tclsh", "msg\"", "the shell writes `$msg` into the code `tclsh` reads on its standard input:"
                + " keep the shell from expanding it (`<<'EOF'`, `<<< '...'`) and read the variable in the code itself"
                + " (`$env(msg)`)");

        assertClean("  command = [\"python3\", \"-m\", \"train\", \"-c\", \"print('${msg}')\"]");
        assertClean("  command = [\"Rscript\", \"-e\", \"cat(commandArgs(TRUE)[1])\", msg]");
        assertClean("  command = [\"R\", \"-e\", \"cat(commandArgs(TRUE)[1])\", \"--args\", msg]");
        assertClean("  command = [\"deno\", \"run\", \"main.ts\", \"--eval\", \"${msg}x\"]");
        assertClean("  command = [\"tclsh\", \"run.tcl\", msg]");
        assertClean("  command = [\"node\", \"-e\", \"console.log(process.argv[1])\", msg]");
    }

    /**
     * Shell code run elsewhere: ssh joins the arguments after the host into code for the host's shell, a container's
     * or a pod's command runs there, {@code find -exec} and GNU parallel run a command of their own.
     */
    @Test
    void remoteAndContainerShells() throws IOException {
        String ssh = "send `msg` on standard input and read it on the host (`read -r msg`): ssh joins every argument after"
                + " the host into shell code run there, where no argument stays data";
        assertSplice("  command = [\"ssh\", \"-i\", \"/keys/id\", \"ml@gpu1\", \"cd /data && echo ${msg} > log\"]", "${msg}",
                "ssh", "msg}", ssh);
        assertSplice("  command = [\"ssh\", \"gpu1\", \"echo\", msg]", "msg", "ssh", "msg]", ssh);
        assertSplice("  command = [\"docker\", \"exec\", \"-e\", \"A=1\", \"-w\", \"/data\", \"trainer\", \"sh\", \"-c\","
                + " \"echo ${msg}\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"podman\", \"run\", \"--rm\", \"-v\", \"/data:/data\", \"python:3.12\", \"python3\", \"-c\","
                + " \"print('${msg}')\"]", "${msg}", "python3", "msg}", HELP_PY);
        assertSplice("  command = [\"kubectl\", \"-n\", \"ml\", \"exec\", \"-it\", \"trainer-0\", \"-c\", \"main\", \"--\", \"bash\","
                + " \"-lc\", \"echo ${msg}\"]", "${msg}", "bash", "msg}", HELP_SH);
        assertSplice("  command = [\"find\", \"/data\", \"-name\", \"*.csv\", \"-exec\", \"sh\", \"-c\", \"wc -l $0 ${msg}\","
                + " \"{}\", \";\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"parallel\", \"-j\", \"4\", \"echo ${msg} {}\", \":::\", \"a\", \"b\"]", "${msg}", "parallel",
                "msg}", "pass `msg` after `:::` and read it as `{}` in the command: parallel quotes it there");

        assertClean("  command = [\"ssh\", \"-o\", \"SendEnv=${msg}\", \"gpu1\", \"cat > /data/msg\"]");
        assertClean("  command = [\"sh\", \"-c\", \"printf '%s\\\\n' \\\"$0\\\" | ssh gpu1 'read -r msg; echo \\\"$msg\\\"'\", msg]");
        assertClean("  command = [\"docker\", \"exec\", \"-e\", \"MSG=${msg}\", \"trainer\", \"sh\", \"-c\", \"echo \\\"$MSG\\\"\"]");
        assertClean("  command = [\"kubectl\", \"exec\", \"trainer-0\", \"--\", \"sh\", \"-c\", \"echo \\\"$0\\\"\", msg]");
        assertClean("  command = [\"find\", \".\", \"-exec\", \"sh\", \"-c\", \"echo \\\"$1\\\"\", \"sh\", msg, \";\"]");
        assertClean("  command = [\"parallel\", \"--tagstring\", \"${msg}\", \"echo {}\", \":::\", msg]");
    }

    /**
     * The headline quotes the splice as the file writes it, so that a search finds it: {@code $msg} and {@code "$msg"}
     * in a shell script, {@code ${msg}} in a string, {@code msg} as an argv element; the caret stays on the name.
     */
    @Test
    void theHeadlineQuotesWhatTheFileWrites() throws IOException {
        String written = "the shell writes `$msg` into the code: read the variable in the code itself (`\"$msg\"`), the"
                + " code in single quotes";
        assertSplice("""
                  script = sh \"""
                    eval "echo $msg" > "$out"
                  \"""
                """, "$msg", "eval", "msg\" >", written);
        assertSplice("""
                  script = sh \"""
                    eval echo "$msg" > "$out"
                  \"""
                """, "$msg", "eval", "msg\" >", written);
        assertSplice("""
                  script = sh \"""
                    eval "echo ${msg}" > "$out"
                  \"""
                """, "${msg}", "eval", "msg}\" >", written);
        assertSplice("  env { MSG = msg }\n  command = [\"sh\", \"-c\", \"eval \\\"echo $MSG\\\"\"]", "$MSG", "eval", "MSG\\\"",
                "the shell writes `$MSG` into the code: read the variable in the code itself (`\"$MSG\"`), the code in"
                        + " single quotes");
        assertSplice("  command = [\"sh\", \"-c\", \"echo ${ msg } > \\\"$0\\\"\", out]", "${ msg }", "sh", "msg }", HELP_SH);
        assertSplice("  command = [\"eval\", \"echo\", msg]", "msg", "eval", "msg]", "set `msg` in `env` (`MSG = msg`) and"
                + " read it in the code (`\"$MSG\"`)");
    }

    /**
     * SQL clients and code runners it did not know: each help names the tool's own way to pass a value as data, and
     * says so where the tool's own variables are replaced as text (Hive's `--hivevar`, impala's `--var`, snowsql's
     * `-D`), which binds nothing.
     */
    @Test
    void moreSqlClientsAndCodeRunners() throws IOException {
        String driver = "run the statement from a program whose database driver binds `msg` as a parameter, read from its"
                + " argv or `env`: ";
        assertSplice("  command = [\"snowsql\", \"-c\", \"ml\", \"-o\", \"friendly=false\", \"-q\", \"SELECT '${msg}'\"]",
                "${msg}", "snowsql", "msg}'", driver + "snowsql replaces its own variables (`-D msg=...`, read as `&msg`)"
                        + " in the SQL as text, which binds nothing");
        String trino = driver + "the trino CLI binds none (the trino Python client binds `?`, `cursor.execute(sql, [value])`)";
        assertSplice("  command = [\"trino\", \"--server\", \"https://trino:8443\", \"--catalog\", \"hive\", \"--execute\","
                + " \"SELECT * FROM t WHERE k = '${msg}'\"]", "${msg}", "trino", "msg}'", trino);
        assertSplice("  command = [\"presto\", \"--execute=SELECT '${msg}'\"]", "${msg}", "presto", "msg}'", trino);
        assertSplice("  command = [\"spark-sql\", \"--master\", \"local[2]\", \"--hivevar\", \"d=1\", \"-e\", \"SELECT"
                + " '${msg}'\"]", "${msg}", "spark-sql", "msg}'", "run the query from a Spark program that binds `msg` as a"
                        + " named parameter, `spark.sql(\"... :msg ...\", args={\"msg\": value})`, the value from its argv or"
                        + " `env`: spark-sql replaces `--hivevar msg=...` (read as `${msg}`) in the SQL as text, which binds"
                        + " nothing");
        String hive = driver + "`--hivevar msg=...` (read as `${hivevar:msg}`) is replaced in the SQL as text, which binds"
                + " nothing";
        assertSplice("  command = [\"beeline\", \"-u\", \"jdbc:hive2://hs2:10000\", \"-n\", \"ml\", \"-e\", \"SELECT"
                + " '${msg}'\"]", "${msg}", "beeline", "msg}'", hive);
        assertSplice("  command = [\"hive\", \"-S\", \"--hiveconf\", \"a=b\", \"-e\", \"SELECT '${msg}'\"]", "${msg}", "hive",
                "msg}'", hive);
        assertSplice("  command = [\"impala-shell\", \"-i\", \"impalad:21000\", \"-B\", \"-q\", \"SELECT '${msg}'\"]",
                "${msg}", "impala-shell", "msg}'", driver + "impala-shell replaces `--var=msg=...` (read as `${var:msg}`)"
                        + " in the SQL as text, which binds nothing");
        assertSplice("  command = [\"cqlsh\", \"cassandra\", \"9042\", \"-u\", \"ml\", \"-e\", \"SELECT * FROM t WHERE k ="
                + " '${msg}'\"]", "${msg}", "cqlsh", "msg}'", driver + "cqlsh binds none (the Cassandra driver binds a"
                        + " prepared statement's `?`)");
        assertSplice("  command = [\"mongosh\", \"mongodb://db/ml\", \"--quiet\", \"--eval\", \"db.t.find({k: '${msg}'})\"]",
                "${msg}", "mongosh", "msg}'", "set `msg` in `env` (`MSG = msg`) and read it in the code (`process.env.MSG`)");
        String redis = "pass `msg` as an argument after the script's number of keys (`\"EVAL\", SCRIPT, \"0\", msg`) and"
                + " read it as `ARGV[1]` in the script: redis passes it as data";
        assertSplice("  command = [\"redis-cli\", \"-h\", \"redis\", \"-n\", \"2\", \"EVAL\", \"return redis.call('GET',"
                + " '${msg}')\", \"0\"]", "${msg}", "redis-cli", "msg}'", redis);
        assertSplice("  command = [\"redis-cli\", \"eval\", \"return '${msg}'\", \"0\"]", "${msg}", "redis-cli", "msg}'",
                redis);
        // the duckdb shell runs every argument after the database, as the sqlite3 shell does; its options with values
        String duckdb = "set `MSG` in `env` and read it in the SQL with `getenv('MSG')`, a value there (the duckdb shell's"
                + " function)";
        assertSplice("  command = [\"duckdb\", \"-csv\", \"ml.duckdb\", \".headers on\", \"SELECT * FROM t WHERE k ="
                + " '${msg}'\"]", "${msg}", "duckdb", "msg}'\"", duckdb);
        assertSplice("  command = [\"duckdb\", \"-storage-version\", \"latest\", \"-readonly\", \"ml.duckdb\", \"SELECT"
                + " '${msg}'\"]", "${msg}", "duckdb", "msg}'", duckdb);

        assertClean("  command = [\"redis-cli\", \"EVAL\", \"return redis.call('SET', KEYS[1], ARGV[1])\", \"1\", \"k\", msg]");
        assertClean("  command = [\"redis-cli\", \"-h\", \"redis\", \"SET\", \"k\", \"${msg}\"]");
        assertClean("  env { MSG = msg }\n  command = [\"mongosh\", \"mongodb://db/ml\", \"--eval\", \"print(process.env.MSG)\"]");
        assertClean("  command = [\"trino\", \"--execute\", \"SELECT ${n}\", \"--session\", \"query_tag=${msg}\"]");
        assertClean("  command = [\"cqlsh\", \"-f\", \"load.cql\", \"cassandra\"]");
        assertClean("  command = [\"duckdb\", \"-storage-version\", \"${msg}\", \"ml.duckdb\", \"SELECT 1\"]");
    }

    /** A code option with its code in the same argument, as getopt reads it: {@code -c"…"}, {@code -e'…'}, {@code --command=…}. */
    @Test
    void codeJoinedToItsOption() throws IOException {
        assertSplice("  command = [\"psql\", \"-At\", \"-cSELECT '${msg}'\"]", "${msg}", "psql", "msg}'",
                "give `msg` to psql as a variable, `-v msg=...`, and read it as `:'msg'` (a value; `:\"msg\"` for a table or"
                        + " column name) in SQL that psql reads from a file (`-f`) or its standard input (`-c` replaces no"
                        + " variables)");
        assertSplice("  command = [\"python3\", \"-cprint('${msg}')\"]", "${msg}", "python3", "msg}'", HELP_PY);
        // flags without a value before the code option, in one cluster: psql's -X -q -A -t, mysql's -s -N -B
        String psql = "give `msg` to psql as a variable, `-v msg=...`, and read it as `:'msg'` (a value; `:\"msg\"` for a"
                + " table or column name) in SQL that psql reads from a file (`-f`) or its standard input (`-c` replaces no"
                + " variables)";
        assertSplice("  command = [\"psql\", \"-Xc\", \"SELECT '${msg}'\"]", "${msg}", "psql", "msg}'", psql);
        assertSplice("  command = [\"psql\", \"postgres://db/ml\", \"-qAtcSELECT '${msg}'\"]", "${msg}", "psql", "msg}'",
                psql);
        String mysql = "run the statement from a program whose database driver binds `msg` as a parameter, read from its"
                + " argv or `env` (the mysql client binds none)";
        assertSplice("  command = [\"mysql\", \"ml\", \"-sNe\", \"SELECT '${msg}'\"]", "${msg}", "mysql", "msg}'", mysql);
        assertSplice("  command = [\"mariadb\", \"-BNeSELECT '${msg}'\"]", "${msg}", "mariadb", "msg}'",
                mysql);
        // a value-taking option ends the cluster: `-Uc` is the user `c`, `-uce` the user `ce`
        assertClean("  command = [\"psql\", \"-Uc${msg}\", \"-f\", \"load.sql\"]");
        assertClean("  command = [\"mysql\", \"-uce\", \"${msg}\"]");
        assertSplice("""
                  script = sh \"""
                    mysql ml -e"DELETE FROM t WHERE k = '$msg'" > "$out"
                  \"""
                """, "$msg", "mysql", "msg'\"", "the shell writes `$msg` into the code: run the statement from a program"
                + " whose database driver binds `msg` as a parameter, read from its argv or `env` (the mysql client binds"
                + " none)");
        assertSplice("""
                  script = sh \"""
                    perl -e'print "'"$msg"'"' > "$out"
                  \"""
                """, "$msg", "perl", "msg\"'", "the shell writes `$msg` into the code: read the variable in the code itself"
                + " (`$ENV{msg}`), the code in single quotes");
        String su = "set `msg` in `env` (`MSG = msg`), keep the environment with `-m`, and read `\"$MSG\"` in the code";
        assertSplice("  command = [\"su\", \"ml\", \"--command=echo ${msg}\"]", "${msg}", "su --command", "msg}", su);
        assertSplice("  command = [\"su\", \"ml\", \"-cecho ${msg}\"]", "${msg}", "su -c", "msg}", su);

        assertClean("  command = [\"python3\", \"-cimport sys; print(sys.argv[1])\", msg]");
        assertClean("  command = [\"psql\", \"-v\", \"msg=${msg}\", \"-cSELECT 1\", \"-f\", \"q.sql\"]");
        // a shell's -c takes no value: `sh -cx` is two options
        assertClean("  command = [\"sh\", \"-cx\", \"echo \\\"$0\\\"\", msg]");
    }

    /**
     * A shell run past a container's entrypoint or a long option of sudo, and ssh reading the host's code on its
     * standard input: the host's shell with no command, or a command that reads its code there.
     */
    @Test
    void entrypointsAndRemoteStandardInput() throws IOException {
        assertSplice("  command = [\"docker\", \"run\", \"--rm\", \"--entrypoint\", \"sh\", \"alpine:3\", \"-c\", \"echo ${msg}"
                + " > /data/out\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"podman\", \"run\", \"--entrypoint=/bin/bash\", \"-v\", \"/data:/data\", \"alpine\", \"-lc\","
                + " \"echo ${msg}\"]", "${msg}", "bash", "msg}", HELP_SH);
        assertSplice("  command = [\"sudo\", \"--user\", \"ml\", \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}",
                HELP_SH);
        String ssh = "the shell writes `$msg` into the code ssh sends the host on standard input: give ssh the code as its"
                + " command instead, in single quotes, and send `msg` on standard input, read there first (`printf '%s\\n'"
                + " \"$msg\" | ssh HOST 'read -r msg; ...'`)";
        assertSplice("""
                  script = sh \"""
                    ssh -o BatchMode=yes gpu1 <<EOF
                    echo "$msg" >> /data/notes
                    EOF
                  \"""
                """, "$msg", "ssh", "msg\" >>", ssh);
        assertSplice("""
                  script = sh \"""
                    ssh -T gpu1 sh -s <<EOF
                    echo $msg >> /data/notes
                    EOF
                  \"""
                """, "$msg", "ssh", "msg >>", ssh);
        assertSplice("""
                  script = sh \"""
                    ssh gpu1 'sudo bash -s' <<EOF
                    echo $msg >> /data/notes
                    EOF
                  \"""
                """, "$msg", "ssh", "msg >>", ssh);

        assertClean("  command = [\"docker\", \"run\", \"--entrypoint\", \"sh\", \"alpine\", \"-c\", \"echo \\\"$0\\\"\", msg]");
        assertClean("  command = [\"docker\", \"run\", \"--entrypoint\", \"python3\", \"trainer\", \"train.py\", \"--note=${msg}\"]");
        assertClean("""
                  script = sh \"""
                    ssh gpu1 <<'EOF'
                    echo "$msg" >> /data/notes
                    EOF
                    ssh gpu1 'cat >> /data/notes' <<EOF
                    $msg
                    EOF
                    printf '%s\\n' "$msg" | ssh gpu1 'read -r msg; echo "$msg" >> /data/notes'
                  \"""
                """);
    }

    /**
     * Code run later or by a client written as two words ({@code redis-cli SCRIPT LOAD}, {@code snow sql -q}), the
     * legacy {@code mongo} shell, a code option at the end of a cluster with its code joined ({@code python3 -Bc"…"}),
     * {@code env -S}'s string split into the command, and {@code kubectl run}'s pod command; awk's program from a file
     * leaves its arguments data.
     */
    @Test
    void loadedScriptsTwoWordClientsClustersAndSplitStrings() throws IOException {
        assertSplice("  command = [\"redis-cli\", \"-h\", \"redis\", \"SCRIPT\", \"LOAD\", \"return '${msg}'\"]", "${msg}",
                "redis-cli", "msg}'", "pass `msg` to `EVALSHA` as an argument after the script's number of keys"
                        + " (`\"EVALSHA\", DIGEST, \"0\", msg`) and read it as `ARGV[1]` in the script: redis passes it as data");
        assertSplice("  command = [\"valkey-cli\", \"function\", \"load\", \"replace\", \"#!lua name=ml\\n"
                + "redis.register_function('f', function() return '${msg}' end)\"]", "${msg}", "valkey-cli", "msg}'",
                "pass `msg` to `FCALL` as an argument after the function's number of keys (`\"FCALL\", NAME, \"0\", msg`)"
                        + " and read it in the function's second parameter (`args[1]`): redis passes it as data");
        String snow = "run the statement from a program whose database driver binds `msg` as a parameter, read from its"
                + " argv or `env`: snow replaces its own variables (`-D msg=...`, read as `<% msg %>`) in the SQL as text,"
                + " which binds nothing";
        assertSplice("  command = [\"snow\", \"sql\", \"-c\", \"ml\", \"-q\", \"SELECT '${msg}'\"]", "${msg}", "snow",
                "msg}'", snow);
        assertSplice("  command = [\"snow\", \"sql\", \"--query=SELECT '${msg}'\"]", "${msg}", "snow", "msg}'", snow);
        assertSplice("  command = [\"clickhouse\", \"client\", \"--host\", \"ch\", \"-q\", \"SELECT '${msg}'\"]",
                "${msg}", "clickhouse", "msg}'", "pass `msg` as a query parameter, `--param_msg=...`, and read it as"
                        + " `{msg:String}` in the query");
        assertSplice("  command = [\"mongo\", \"mongodb://db/ml\", \"--quiet\", \"--eval\", \"db.t.find({k: '${msg}'})\"]",
                "${msg}", "mongo", "msg}'", "run it with mongosh instead, set `MSG` in `env` and read it as"
                        + " `process.env.MSG`: the legacy mongo shell's JavaScript reads no environment variable");
        // a code option at the end of a cluster takes the rest of the argument, as getopt reads it
        assertSplice("  command = [\"python3\", \"-Bc\\\"print('${msg}')\\\"\"]", "${msg}", "python3", "msg}'", HELP_PY);
        assertSplice("""
                  script = sh \"""
                    python3 -Iuc"print('$msg')" > "$out"
                  \"""
                """, "$msg", "python3", "msg')", "the shell writes `$msg` into the code: read the variable in the code"
                + " itself (`os.environ[\"msg\"]`), the code in single quotes");
        assertSplice("  command = [\"bash\", \"-ec\", \"echo ${msg}\"]", "${msg}", "bash", "msg}", HELP_SH);
        // env -S splits its string into the command, quotes read
        assertSplice("  command = [\"env\", \"-S\", \"sh -c 'echo ${msg}'\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"/usr/bin/env\", \"-S python3 -c \\\"print('${msg}')\\\"\"]", "${msg}", "python3",
                "msg}'", HELP_PY);
        assertSplice("  command = [\"env\", \"--split-string=-i LANG=C bash -ec 'echo ${msg}'\"]", "${msg}", "bash",
                "msg}'", HELP_SH);
        assertSplice("""
                  script = sh \"""
                    env -S "sh -c 'echo $msg'" > "$out"
                  \"""
                """, "$msg", "sh", "msg'", "the shell writes `$msg` into the code: read the variable in the code itself"
                + " (`\"$msg\"`), the code in single quotes");
        // a pod's command, run by kubectl run or exec
        assertSplice("  command = [\"kubectl\", \"run\", \"probe\", \"--image\", \"alpine:3\", \"--rm\", \"-i\","
                + " \"--restart=Never\", \"--\", \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"kubectl\", \"-n\", \"ml\", \"exec\", \"-i\", \"trainer-0\", \"-c\", \"main\", \"--\","
                + " \"sh\", \"-c\", \"echo ${msg}\"]", "${msg}", "sh", "msg}", HELP_SH);
        assertSplice("  command = [\"awk\", \"${msg} { print }\", \"data.txt\"]", "${msg}", "awk", "msg}",
                "set `msg` in `env` (`MSG = msg`) and read it in the code (`ENVIRON[\"MSG\"]`)");

        assertClean("  command = [\"redis-cli\", \"SCRIPT\", \"LOAD\", \"return ARGV[1]\"]");
        assertClean("  command = [\"redis-cli\", \"EVALSHA\", \"abc123\", \"0\", msg]");
        assertClean("  command = [\"snow\", \"stage\", \"copy\", msg, \"@ml\"]");
        assertClean("  env { MSG = msg }\n  command = [\"mongo\", \"--eval\", \"print(1)\"]");
        // an option with a value ends the cluster: what follows is its value, not a code option's
        assertClean("  command = [\"python3\", \"-Xpycache_prefix=${msg}\", \"train.py\"]");
        assertClean("  command = [\"env\", \"-S\", \"sh -c 'echo \\\"$0\\\"'\", msg]");
        assertClean("  command = [\"env\", \"-S\", \"python3 -u train.py --note ${msg}\"]");
        assertClean("  command = [\"kubectl\", \"run\", \"probe\", \"--image=alpine:3\", \"--\", \"sh\", \"-c\", \"echo"
                + " \\\"$0\\\"\", msg]");
        assertClean("  command = [\"awk\", \"-f\", \"prog.awk\", \"${msg}\", \"data.txt\"]");
        assertClean("""
                  script = sh \"""
                    awk -f prog.awk "$msg" data.txt > "$out"
                  \"""
                """);
    }

    /**
     * No false alarm on what ships and what the tests hold: every .pipe under examples/, stdlib/ and the test resources
     * checks without an E0510, but for the cases of the golden that pins it.
     */
    @Test
    void nothingShippedIsFlagged() throws IOException {
        List<String> flagged = new ArrayList<>();
        Path project = SharedData.projectDir();
        for (String folder : List.of("examples", "stdlib", "src/test/resources")) {
            try (Stream<Path> files = Files.walk(project.resolve(folder))) {
                for (Path f : files.filter(p -> p.toString().endsWith(".pipe")).sorted().toList()) {
                    if (!f.endsWith(Path.of("golden", "check", "code_splices.pipe"))) {
                        CliRun r = check(f);
                        if (r.err().contains("E0510")) {
                            flagged.add(project.relativize(f) + "\n" + r.err());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), flagged);
    }
}
