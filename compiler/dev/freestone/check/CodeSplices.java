package dev.freestone.check;

import dev.freestone.diag.Code;
import dev.freestone.diag.Diagnostic;
import dev.freestone.diag.Span;
import dev.freestone.syntax.Ast;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * E0510: an input value written inside code that a program runs ({@code sh -c CODE}, {@code python3 -c},
 * {@code awk PROGRAM}, everything after {@code pwsh -Command}) is spliced into that code as text, so a value
 * holding {@code $(...)}, a quote or a newline runs as code, on this machine and in the pod alike. Only values
 * whose text can hold such characters count (not Int, Float, Bool, Duration; paths are Freestone's own). The
 * way out keeps it data: its own argv element, which the code reads as {@code "$0"} or {@code sys.argv[1]}, or
 * a variable of {@code env} that the code reads itself. SQL that a client runs ({@code psql -c SQL}) is such code,
 * a value in it SQL injection; its way out is the client's own (a psql variable, a query parameter). A code that is
 * one input alone ({@code ["sh", "-c", cmd]}) splices nothing: the component runs the code it is given.
 *
 * <p>The model: a command is an argv. Its program, past wrappers that run the rest of their argv
 * ({@code env -i}, {@code sudo -u USER}, {@code conda run -n ENV}, {@code kubectl exec POD --}, {@code find -exec},
 * {@code docker run --entrypoint sh IMAGE}; {@code env -S "sh -c CODE"}, whose string it splits into them),
 * may be a {@link Runner}
 * that takes code as an argument; where that code stands is the runner's own ({@link CodeAt}). A shell's code
 * is read again as commands (words, quotes, {@code ;}, {@code |}, {@code $(}), so that a runner inside it is
 * seen too, with the component's {@code env} as its variables: {@code eval "$CMD"} runs {@code CMD}'s value as
 * code, and {@code python3 -c "print('$MSG')"} has the shell write {@code MSG}'s value into Python code. A shell
 * {@code script} is such code too, its inputs among its variables. A shell expanding {@code $CMD} as a command of
 * its own splits it into words but does not read it as code again. A here-document's body is no command but what
 * its command reads: code, with the shell's variables written in, only for a runner that reads its code there
 * ({@code python3 - <<EOF}), or for ssh, which sends it to the host ({@code ssh HOST <<EOF}, {@code ssh HOST sh -s <<EOF}).
 * E0510 quotes the splice as the file writes it ({@code ${msg}}, {@code $msg}, {@code msg}).
 */
final class CodeSplices {
    /** Where a runner's code stands in its argv. */
    private enum CodeAt {
        /** The first argument after all options, once the code option was given: {@code sh -euc CODE}. */
        AFTER_OPTIONS,
        /** The argument right after the code option, or in it: {@code python3 -c CODE}, {@code psql --command=SQL}. */
        OPTION_VALUE,
        /**
         * The first argument that is no option past the runner's operands before it, unless the program was given
         * otherwise: {@code awk 'PROGRAM' FILE}, {@code sqlite3 DB SQL}.
         */
        OPERAND,
        /**
         * Every argument after the code option (without one, after the options and the operands before it), joined, up
         * to the runner's end mark: {@code pwsh -c A B}, {@code ssh HOST A B}, {@code parallel A B ::: VALUES}.
         */
        REST
    }

    /**
     * A program that runs code given as an argument: its names, the sub-command that does ({@code deno eval}, null:
     * the program itself), where its code stands, the option that introduces the code, its options that take a
     * value of their own ({@code -o pipefail}, skipped), those that give the program instead of an operand
     * ({@code awk -f FILE}, {@code awk -e CODE}), whether its code option may be given again
     * ({@code perl -e A -e B}), how its code reads its first argument after the code (null: it has none) and an
     * environment variable ({@code %s} the name), and whether its code is shell code, read again as commands.
     * Then how its operands stand: how many come before its code ({@code sqlite3 DB SQL}, {@code ssh HOST CMD}), and
     * whether its options may follow them ({@code psql DB -c SQL}), and whether each operand after them is code, not
     * only the first ({@code sqlite3 DB ".headers on" SQL}); and its own way to pass a value as data where that
     * is neither of the above ({@code psql -v}, a query parameter; {@code %1$s} the name, {@code %2$s} its variable).
     * Last, for code that runs to the end, the argument that ends it instead ({@code parallel CMD ::: VALUES}); and
     * whether its short code option takes its value in the same argument too, as getopt's do ({@code psql -cSQL},
     * {@code python3 -c"CODE"}).
     */
    private record Runner(Pattern names, Pattern subcommand, CodeAt at, Pattern codeOption, Pattern valuedOption,
            Pattern programGiven, boolean repeats, String firstArgument, String envRead, boolean shell, int operandsBefore,
            boolean permutes, String way, Pattern codeEnd, boolean everyOperand, boolean joined) {
        Runner(Pattern names, CodeAt at, Pattern codeOption, Pattern valuedOption, Pattern programGiven, boolean repeats,
                String firstArgument, String envRead, boolean shell) {
            this(names, null, at, codeOption, valuedOption, programGiven, repeats, firstArgument, envRead, shell, 0, false,
                    null, NONE, false, false);
        }

        /** A runner whose code comes after the sub-command {@code word} (a pattern): {@code deno eval CODE}. */
        Runner after(String word) {
            return new Runner(names, Pattern.compile(word), at, codeOption, valuedOption, programGiven, repeats,
                    firstArgument, envRead, shell, operandsBefore, permutes, way, codeEnd, everyOperand, joined);
        }

        /** A runner whose {@code n} first operands come before its code, and whose options may stand among them. */
        Runner operands(int n, boolean mixedWithOptions) {
            return new Runner(names, subcommand, at, codeOption, valuedOption, programGiven, repeats, firstArgument,
                    envRead, shell, n, mixedWithOptions, way, codeEnd, everyOperand, joined);
        }

        /** A runner whose code reads a value given as data its own way ({@code help}, the way out). */
        Runner way(String help) {
            return new Runner(names, subcommand, at, codeOption, valuedOption, programGiven, repeats, firstArgument,
                    envRead, shell, operandsBefore, permutes, help, codeEnd, everyOperand, joined);
        }

        /** A runner whose code, running to the end of its argv, ends at an argument {@code end} matches. */
        Runner endingAt(String end) {
            return new Runner(names, subcommand, at, codeOption, valuedOption, programGiven, repeats, firstArgument,
                    envRead, shell, operandsBefore, permutes, way, Pattern.compile(end), everyOperand, joined);
        }

        /** A runner each of whose operands after those before its code is code: {@code sqlite3 DB ".mode csv" SQL}. */
        Runner everyOperandCode() {
            return new Runner(names, subcommand, at, codeOption, valuedOption, programGiven, repeats, firstArgument,
                    envRead, shell, operandsBefore, permutes, way, codeEnd, true, joined);
        }

        /** A runner whose short code option may carry its code in the same argument: {@code mysql -e"SQL"}. */
        Runner joinedValue() {
            return new Runner(names, subcommand, at, codeOption, valuedOption, programGiven, repeats, firstArgument,
                    envRead, shell, operandsBefore, permutes, way, codeEnd, everyOperand, true);
        }

    }

    private static final Pattern NONE = Pattern.compile("(?!)");
    private static final Runner SHELL = new Runner(Pattern.compile("(ba|da|z|k|mk|a)?sh"), CodeAt.AFTER_OPTIONS,
            Pattern.compile("-[a-zA-Z]*c[a-zA-Z]*"), Pattern.compile("[-+][a-zA-Z]*o|--rcfile|--init-file"), NONE, false,
            "\"$0\"", "\"$%s\"", true);
    private static final Runner PYTHON = new Runner(Pattern.compile("python[0-9.]*|pypy[0-9.]*"), CodeAt.OPTION_VALUE,
            Pattern.compile("-[a-zA-Z]*c"), Pattern.compile("-[a-zA-Z]*[WX]"), NONE, false, "sys.argv[1]",
            "os.environ[\"%s\"]", false).joinedValue();
    // ssh joins the arguments after the host into shell code that the host's shell runs
    private static final Runner SSH = new Runner(Pattern.compile("ssh"), CodeAt.REST, null,
            Pattern.compile("-[BbcDEeFIiJLlmOoPpQRSWw]"), NONE, false, null, "\"$%s\"", true).operands(1, false)
            .way("send `%1$s` on standard input and read it on the host (`read -r %1$s`): ssh joins every argument after"
                    + " the host into shell code run there, where no argument stays data");
    /**
     * A SQL client: its code options may be given again, its options stand among its operands ({@code psql DB -c SQL}),
     * and its SQL reads no argument or variable: it binds a value its own way, {@code way}.
     */
    private static Runner sql(String names, CodeAt at, String codeOption, String valuedOption, String programGiven,
            int operandsBefore, String way) {
        return new Runner(Pattern.compile(names), at, Pattern.compile(codeOption), Pattern.compile(valuedOption),
                Pattern.compile(programGiven), true, null, null, false).operands(operandsBefore, true).way(way);
    }

    /** The way out of a SQL client that binds no value itself ({@code %s}, why), {@code %1$s} the input. */
    private static final String DRIVER = "run the statement from a program whose database driver binds `%%1$s` as a"
            + " parameter, read from its argv or `env`: %s";

    private static final List<Runner> RUNNERS = List.of(
            SHELL,
            PYTHON,
            new Runner(Pattern.compile("perl"), CodeAt.OPTION_VALUE, Pattern.compile("-[a-zA-Z]*[eE]"), NONE, NONE, true,
                    "$ARGV[0]", "$ENV{%s}", false).joinedValue(),
            new Runner(Pattern.compile("ruby"), CodeAt.OPTION_VALUE, Pattern.compile("-[a-zA-Z]*e"), Pattern.compile("-[IrC]"),
                    NONE, true, "ARGV[0]", "ENV[\"%s\"]", false).joinedValue(),
            new Runner(Pattern.compile("node(js)?"), CodeAt.OPTION_VALUE, Pattern.compile("-[ep]|--eval|--print"),
                    Pattern.compile("-r|--require|--import|--loader"), NONE, false, "process.argv[1]", "process.env.%s", false),
            new Runner(Pattern.compile("bun"), CodeAt.OPTION_VALUE, Pattern.compile("-[ep]|--eval|--print"),
                    Pattern.compile("-r|--preload|--cwd|--env-file|--config|-c"), NONE, false, null, "process.env.%s", false),
            new Runner(Pattern.compile("deno"), CodeAt.OPERAND, NONE, Pattern.compile("--ext|--env-file|--location|--seed"
                    + "|--v8-flags|--import-map|--config|-c|--lock|--cert"), NONE, false, null, "Deno.env.get(\"%s\")",
                    false).after("eval"),
            new Runner(Pattern.compile("Rscript"), CodeAt.OPTION_VALUE, Pattern.compile("-e"), NONE, NONE, true,
                    "commandArgs(TRUE)[1]", "Sys.getenv(\"%s\")", false),
            // R reads its arguments only after `--args`
            new Runner(Pattern.compile("R"), CodeAt.OPTION_VALUE, Pattern.compile("-e"), Pattern.compile("-[fdg]|--file"),
                    NONE, true, null, "Sys.getenv(\"%s\")", false),
            new Runner(Pattern.compile("julia"), CodeAt.OPTION_VALUE, Pattern.compile("-[eE]|--eval|--print"),
                    Pattern.compile("-[tpJCL]|--threads|--procs|--sysimage|--load"), NONE, false, "ARGS[1]", "ENV[\"%s\"]", false).joinedValue(),
            new Runner(Pattern.compile("php[0-9.]*"), CodeAt.OPTION_VALUE, Pattern.compile("-r"), Pattern.compile("-[dcz]"),
                    NONE, false, "$argv[1]", "getenv(\"%s\")", false).joinedValue(),
            new Runner(Pattern.compile("lua[0-9.]*|luajit"), CodeAt.OPTION_VALUE, Pattern.compile("-e"), Pattern.compile("-l"),
                    NONE, true, null, "os.getenv(\"%s\")", false).joinedValue(),
            new Runner(Pattern.compile("osascript"), CodeAt.OPTION_VALUE, Pattern.compile("-e"), Pattern.compile("-[ls]"),
                    NONE, true, null, "system attribute \"%s\"", false).joinedValue(),
            // Tcl has no code option: its code is a script file or what it reads on standard input
            new Runner(Pattern.compile("tclsh[0-9.]*|wish[0-9.]*"), CodeAt.OPTION_VALUE, NONE, Pattern.compile("-encoding"),
                    NONE, false, null, "$env(%s)", false),
            new Runner(Pattern.compile("fish"), CodeAt.OPTION_VALUE, Pattern.compile("-[a-zA-Z]*[cC]|--command|--init-command"),
                    Pattern.compile("-[a-zA-Z]*[dopfD]|--debug|--debug-output|--profile|--profile-startup|--features"
                            + "|--debug-stack-frames"), NONE, true, "$argv[1]", "$%s", false).joinedValue(),
            // pwsh joins every argument after -Command into the command: an argv element is code there too
            new Runner(Pattern.compile("pwsh(-preview)?|powershell(\\.exe)?"), CodeAt.REST,
                    Pattern.compile("(?i)--?c(o(m(m(a(n(d)?)?)?)?)?)?"),
                    Pattern.compile("(?i)--?(ex|ep|executionpolicy|wd|workingdirectory|o|of|outputformat|if|inputformat"
                            + "|config|configurationname|settingsfile|custompipename|w|windowstyle)"),
                    NONE, false, null, "$env:%s", false),
            new Runner(Pattern.compile("[gmn]?awk|original-awk"), CodeAt.OPERAND, Pattern.compile("-e|--source"),
                    Pattern.compile("-[FvWil]|--assign|--field-separator|--include|--load"),
                    Pattern.compile("-[fEe]|--file|--exec|--source"), true, null, "ENVIRON[\"%s\"]", false).joinedValue(),
            SSH,
            // GNU parallel joins its command's arguments into shell code; the values after `:::` are quoted into `{}`
            new Runner(Pattern.compile("parallel"), CodeAt.REST, null, Pattern.compile("-[jPSaIEdCNnL]|--jobs|--max-procs"
                    + "|--sshlogin|--sshloginfile|--slf|--joblog|--results|--res|--arg-file|--delimiter|--colsep|--max-args"
                    + "|--max-lines|--tmpdir|--wd|--workdir|--timeout|--retries|--halt|--delay|--tagstring|--tag-string"
                    + "|--memfree|--load|--nice|--basefile|--bf|--transferfile|--tf|--return|--env|--sshdelay|--termseq"
                    + "|--block|--blocksize|--recstart|--recend|--header|--rpl|--shebang-wrap|--ssh"), NONE, false, null,
                    "\"$%s\"", true).endingAt(":::+?|::::+?").way("pass `%1$s` after `:::` and read it as `{}` in the"
                            + " command: parallel quotes it there"),
            // a shell's builtin: its arguments, joined, are shell code
            new Runner(Pattern.compile("eval"), CodeAt.REST, null, NONE, NONE, false, null, "\"$%s\"", true),
            // `-Xc`, `-qAtc`: psql's and mysql's flags without a value may stand before their code option in one cluster
            sql("psql", CodeAt.OPTION_VALUE, "-[aAbeEHlnqsStxXz01wW]*c|--command", "-[dhpUvLoPTFR]|--dbname|--host|--port|--username|--set"
                    + "|--variable|--log-file|--output|--pset|--table-attr|--field-separator|--record-separator", "-f|--file",
                    0, "give `%1$s` to psql as a variable, `-v %1$s=...`, and read it as `:'%1$s'` (a value; `:\"%1$s\"` for"
                            + " a table or column name) in SQL that psql reads"
                            + " from a file (`-f`) or its standard input (`-c` replaces no variables)").joinedValue(),
            sql("mysql|mariadb", CodeAt.OPTION_VALUE, "-[ABCEfGHinNqrstvwX]*e|--execute|--init-command", "-[uhPDS]|--user|--host|--port"
                    + "|--database|--socket|--defaults-file|--defaults-extra-file|--default-character-set", NONE.pattern(),
                    0, "run the statement from a program whose database driver binds `%1$s` as a parameter, read from its"
                            + " argv or `env` (the mysql client binds none)").joinedValue(),
            sql("sqlite3?", CodeAt.OPERAND, "-cmd|--cmd", "-?-(separator|newline|nullvalue|init|vfs|escape|maxsize"
                    + "|pagecache|lookaside|heap|mmap)", NONE.pattern(),
                    1, "run the statement from a program whose driver binds `%1$s` as a parameter (`?` in Python's"
                            + " `sqlite3`, the value from `sys.argv[1]`): the sqlite3 shell binds none from its arguments")
                    .everyOperandCode(),
            // the duckdb shell runs every argument after the database, as the sqlite3 shell it comes from does
            sql("duckdb", CodeAt.OPERAND, "-?-(c|s|cmd)", "-?-(separator|newline|nullvalue|init|secret|manual|format-file"
                    + "|storage[-_]version|vfs|heap|mmap|memtrace)", "-?-f",
                    1, "set `%2$s` in `env` and read it in the SQL with `getenv('%2$s')`, a value there (the duckdb"
                            + " shell's function)").everyOperandCode(),
            clickhouse("clickhouse-client|clickhouse-local"),
            clickhouse("clickhouse").after("client|local"),
            sql("bq", CodeAt.OPERAND, NONE.pattern(), "-n|--max_rows|--parameter|--destination_table|--format|--location"
                    + "|--project_id|--dataset_id|--job_id|--label|--maximum_bytes_billed|--api|--apilog|--bigqueryrc"
                    + "|--flagfile|--schedule|--display_name|--target_dataset|--destination_kms_key|--session_id"
                    + "|--connection_property|--reservation_id", NONE.pattern(),
                    0, "pass `%1$s` as a query parameter, `--parameter=%1$s::...`, and read it as `@%1$s` in the query")
                    .after("query"),
            sql("snowsql", CodeAt.OPTION_VALUE, "-q|--query", "-[audsrwhpcDoL]|--accountname|--username|--dbname"
                    + "|--schemaname|--rolename|--warehouse|--host|--port|--region|--connection|--variable|--option"
                    + "|--authenticator|--config|--private-key-path|--query_tag|--log_file|--protocol", "-f|--filename",
                    0, DRIVER.formatted("snowsql replaces its own variables (`-D %1$s=...`, read as `&%1$s`) in the"
                            + " SQL as text, which binds nothing")).joinedValue(),
            // the Snowflake CLI, snowsql's successor
            sql("snow", CodeAt.OPTION_VALUE, "-q|--query", "-[cD]|--connection|--variable|--format|--account|--user"
                    + "|--password|--authenticator|--private-key-file|--token-file-path|--database|--schema|--role"
                    + "|--warehouse|--host|--port|--region|--mfa-passcode|--config-file|--project|--env|--retain-comments",
                    "-f|--filename",
                    0, DRIVER.formatted("snow replaces its own variables (`-D %1$s=...`, read as `<%% %1$s %%>`) in the"
                            + " SQL as text, which binds nothing")).after("sql").joinedValue(),
            sql("trino|presto|trino-cli|presto-cli", CodeAt.OPTION_VALUE, "--execute", "--server|--catalog|--schema"
                    + "|--user|--session|--output-format|--output-format-interactive|--source|--client-tags|--client-info"
                    + "|--extra-credential|--resource-estimate|--timezone|--truststore-path|--truststore-password"
                    + "|--truststore-type|--keystore-path|--keystore-password|--keystore-type|--access-token|--socks-proxy"
                    + "|--http-proxy|--client-request-timeout|--path|--role|--trace-token|--editing-mode|--history-file"
                    + "|--encoding|--krb5-[a-z-]+|--external-authentication-redirect-handler|--network-logging|--pager"
                    + "|--decimal-data-size", "-f|--file",
                    0, DRIVER.formatted("the trino CLI binds none (the trino Python client binds `?`,"
                            + " `cursor.execute(sql, [value])`)")),
            // Hive's variables (`--hivevar A=B`, `${A}`) are replaced in the SQL as text: they bind nothing
            sql("spark-sql", CodeAt.OPTION_VALUE, "-e", "-[dic]|--define|--hivevar|--hiveconf|--database|--master|--conf"
                    + "|--name|--jars|--packages|--exclude-packages|--repositories|--files|--archives|--py-files"
                    + "|--properties-file|--driver-memory|--driver-java-options|--driver-library-path|--driver-class-path"
                    + "|--driver-cores|--executor-memory|--executor-cores|--num-executors|--total-executor-cores|--queue"
                    + "|--deploy-mode|--class|--keytab|--principal|--proxy-user", "-f",
                    0, "run the query from a Spark program that binds `%1$s` as a named parameter,"
                            + " `spark.sql(\"... :%1$s ...\", args={\"%1$s\": value})`, the value from its argv or `env`:"
                            + " spark-sql replaces `--hivevar %1$s=...` (read as `${%1$s}`) in the SQL as text, which binds"
                            + " nothing").joinedValue(),
            sql("beeline|hive", CodeAt.OPTION_VALUE, "-e", "-[undpiwadf]|--define|--hivevar|--hiveconf|--database"
                    + "|--property-file", "-f",
                    0, DRIVER.formatted("`--hivevar %1$s=...` (read as `${hivevar:%1$s}`) is replaced in the SQL"
                            + " as text, which binds nothing"))
                    .joinedValue(),
            sql("impala-shell", CodeAt.OPTION_VALUE, "-q|--query", "-[idusoQ]|--impalad|--database|--user|--output_file"
                    + "|--output_delimiter|--kerberos_service_name|--ca_cert|--config_file|--var|--history_file|--protocol"
                    + "|--http_path|--query_option|--ldap_password_cmd|--client_connect_timeout_ms|--fetch_size",
                    "-f|--query_file",
                    0, DRIVER.formatted("impala-shell replaces `--var=%1$s=...` (read as `${var:%1$s}`) in the"
                            + " SQL as text, which binds nothing"))
                    .joinedValue(),
            sql("cqlsh", CodeAt.OPTION_VALUE, "-e|--execute", "-[ukpb]|--username|--password|--keyspace|--cqlshrc"
                    + "|--cqlversion|--protocol-version|--connect-timeout|--request-timeout|--encoding|--credentials"
                    + "|--secure-connect-bundle", "-f|--file",
                    0, DRIVER.formatted("cqlsh binds none (the Cassandra driver binds a prepared statement's `?`)"))
                    .joinedValue(),
            // mongosh runs JavaScript, with Node's `process.env`
            mongo("mongosh"),
            // the legacy shell's JavaScript has no `process`: the way out is mongosh's
            mongo("mongo").way("run it with mongosh instead, set `%2$s` in `env` and read it as `process.env.%2$s`:"
                    + " the legacy mongo shell's JavaScript reads no environment variable"),
            // redis runs the Lua script given after EVAL; its keys and arguments after it are data (`ARGV[1]`)
            redis("(?i)eval(_ro)?", "pass `%1$s` as an argument after the script's number of keys (`\"EVAL\", SCRIPT, \"0\","
                    + " %1$s`) and read it as `ARGV[1]` in the script: redis passes it as data"),
            // a script loaded now runs later, by its digest or its function's name, with the same keys and arguments
            redis("(?i)script load", "pass `%1$s` to `EVALSHA` as an argument after the script's number of keys"
                    + " (`\"EVALSHA\", DIGEST, \"0\", %1$s`) and read it as `ARGV[1]` in the script: redis passes it as data"),
            redis("(?i)function load( replace)?", "pass `%1$s` to `FCALL` as an argument after the function's number of"
                    + " keys (`\"FCALL\", NAME, \"0\", %1$s`) and read it in the function's second parameter (`args[1]`):"
                    + " redis passes it as data"));

    /** clickhouse's client, as one program or as the sub-command of {@code clickhouse}. */
    private static Runner clickhouse(String names) {
        return sql(names, CodeAt.OPTION_VALUE, "-q|--query", "-[hudfC]|--host|--port|--user|--password|--database|--format"
                + "|--config-file|--config|--output-format|--input-format", "--queries-file",
                0, "pass `%1$s` as a query parameter, `--param_%1$s=...`, and read it as `{%1$s:String}` in the query")
                .joinedValue();
    }

    /** A MongoDB shell: JavaScript after {@code --eval}, its options among its operands (the connection string). */
    private static Runner mongo(String names) {
        return new Runner(Pattern.compile(names), CodeAt.OPTION_VALUE, Pattern.compile("--eval"), Pattern.compile("--host"
                + "|--port|-u|--username|--authenticationDatabase|--authenticationMechanism|--apiVersion"
                + "|--tlsCAFile|--tlsCertificateKeyFile|--tlsCertificateKeyFilePassword|--tlsCRLFile"
                + "|--cryptSharedLibPath|--keyVaultNamespace|--oidcFlows|--oidcRedirectUri|--browser"),
                Pattern.compile("-f|--file"), true, null, "process.env.%s", false).operands(0, true);
    }

    /** A redis client running the Lua code after the sub-command {@code subcommand}, whose data is passed its {@code way}. */
    private static Runner redis(String subcommand, String way) {
        return new Runner(Pattern.compile("redis-cli|valkey-cli|keydb-cli"), CodeAt.OPERAND, NONE, Pattern.compile(
                "-[hpsaurindDXt]|--user|--pass|--sni|--cacert|--cacertdir|--cert|--key|--tls-ciphers|--tls-ciphersuites"
                + "|--rdb|--functions-rdb|--pipe-timeout|--memkeys-samples|--pattern|--quoted-pattern|--count"
                + "|--eval"), NONE, false, null, null, false).after(subcommand).way(way);
    }


    /**
     * A program that runs the rest of its argv as a command: its names, the word after which it does, past anything
     * before it ({@code conda run}, {@code kubectl -n NS exec}, {@code find . -exec}), its options that take a value of
     * their own ({@code sudo -u USER}), how many operands come before the command ({@code chroot DIR}, {@code flock FILE}), and an option whose value is shell code
     * ({@code su -c}, {@code flock -c}) with the way out of that code. Last, the option that names the program
     * instead of the word after the operands ({@code docker run --entrypoint sh IMAGE -c CODE}), and whether the
     * command starts right after the operands, its own options not the wrapper's ({@code docker run IMAGE -c}). And the
     * option whose value the wrapper splits into arguments in its place ({@code env -S "sh -c 'CODE'"}), quotes and
     * backslashes read as a shell's are, with no variable or command replaced.
     */
    private record Wrapper(Pattern names, Pattern subcommand, Pattern valuedOption, int operands, Pattern codeOption,
            String codeHelp, Pattern entrypoint, boolean commandAfterOperands, Pattern splitString) {
        Wrapper(String names, String valuedOption) {
            this(Pattern.compile(names), null, Pattern.compile(valuedOption), 0, NONE, null);
        }

        Wrapper(Pattern names, Pattern subcommand, Pattern valuedOption, int operands, Pattern codeOption, String codeHelp) {
            this(names, subcommand, valuedOption, operands, codeOption, codeHelp, NONE, false, NONE);
        }
    }

    private static final Pattern RUN = Pattern.compile("run");
    private static final List<Wrapper> WRAPPERS = List.of(
            new Wrapper(Pattern.compile("env"), null, Pattern.compile("-u|--unset|-C|--chdir"), 0, NONE, null, NONE, false,
                    Pattern.compile("-S|--split-string")),
            new Wrapper("exec", "-a"),
            new Wrapper("nice", "-n|--adjustment"),
            new Wrapper("ionice", "-[cnp]|--class|--classdata|--pid"),
            new Wrapper("nohup|setsid|busybox", "(?!)"),
            new Wrapper("time", "-[fo]|--format|--output"),
            new Wrapper("stdbuf", "-[ioe]"),
            new Wrapper("tini", "-[ep]"),
            new Wrapper("dumb-init", "-r|--rewrite"),
            new Wrapper("xargs", "-[InPLsdEa]|--arg-file|--delimiter|--max-args|--max-procs|--max-lines|--max-chars"),
            new Wrapper("sudo", "-[ugUCDhprtTR]|--user|--group|--other-user|--close-from|--chdir|--chroot|--host"
                    + "|--prompt|--role|--type|--command-timeout"),
            new Wrapper("doas", "-[uC]"),
            new Wrapper("numactl", "-[NmCpi]"),
            new Wrapper("mpirun|mpiexec|orterun", "-np?|-[cNHx]|--host|-?-hostfile|--map-by|--bind-to|--rank-by|-?-npernode|-?-wdir"),
            new Wrapper("horovodrun", "-np|-H|--hosts|-p|--ssh-port|--hostfile|--network-interface"),
            new Wrapper(Pattern.compile("timeout"), null, Pattern.compile("-[sk]|--signal|--kill-after"), 1, NONE, null),
            new Wrapper(Pattern.compile("chroot|gosu|su-exec|taskset"), null, NONE, 1, NONE, null),
            new Wrapper(Pattern.compile("conda|mamba|micromamba"), RUN, Pattern.compile("-[npr]|--name|--prefix|--cwd"), 0, NONE, null),
            new Wrapper(Pattern.compile("uv"), RUN, Pattern.compile("-[pw]|--with|--with-requirements|--python|--project"
                    + "|--directory|--env-file|--extra|--group|--package|--index|--index-url|--extra-index-url"), 0, NONE, null),
            new Wrapper(Pattern.compile("poetry|pipenv"), RUN, NONE, 0, NONE, null),
            new Wrapper(Pattern.compile("pixi"), RUN, Pattern.compile("-e|--environment|--manifest-path"), 0, NONE, null),
            // a container's or a pod's command, run there: after the container, image or pod
            new Wrapper(Pattern.compile("docker|podman|nerdctl"), Pattern.compile("exec|run"), Pattern.compile("-[euwvpmhalc]|--env"
                    + "|--env-file|--user|--workdir|--detach-keys|--volume|--mount|--publish|--name|--network|--net"
                    + "|--entrypoint|--memory|--cpus|--gpus|--shm-size|--platform|--pull|--hostname|--label|--add-host"
                    + "|--device|--ipc|--pid|--runtime|--restart|--ulimit|--log-driver|--log-opt|--cap-add|--cap-drop"
                    + "|--security-opt|--tmpfs|--dns|--cidfile|--attach|--stop-signal|--stop-timeout|--cpuset-cpus"
                    + "|--cpu-shares"), 1, NONE, null, Pattern.compile("--entrypoint"), true, NONE),
            // `kubectl run NAME --image IMAGE -- CMD` runs CMD in a new pod, `kubectl exec POD -- CMD` in one that runs
            new Wrapper(Pattern.compile("kubectl|oc"), Pattern.compile("exec|run"), Pattern.compile("-[ncflo]|--namespace"
                    + "|--container|--context|--kubeconfig|--cluster|--user|--filename|--pod-running-timeout|--image"
                    + "|--env|--port|--labels|--overrides|--restart|--image-pull-policy|--serviceaccount|--annotations"
                    + "|--requests|--limits|--timeout|--field-manager|--output|--template|--as|--as-group"
                    + "|--server|--token|--request-timeout"), 1, NONE, null),
            new Wrapper(Pattern.compile("find"), Pattern.compile("-exec|-execdir|-ok|-okdir"), NONE, 0, NONE, null),
            new Wrapper(Pattern.compile("flock"), null, Pattern.compile("-[wE]|--timeout|--conflict-exit-code"), 1,
                    Pattern.compile("-c|--command"),
                    "give the command as an argv after the lock file, `\"sh\", \"-c\", CODE, %s`, and read `\"$0\"` there"),
            new Wrapper(Pattern.compile("su|runuser"), null,
                    Pattern.compile("-[sgGuw]|--shell|--group|--supp-group|--user|--whitelist-environment"), 1,
                    Pattern.compile("-c|--command"),
                    "set `%s` in `env` (`%s = %s`), keep the environment with `-m`, and read `\"$%s\"` in the code"));

    /** An assignment before a command ({@code env A=1}, {@code sudo A=1}, {@code A=1 cmd} in shell code). */
    private static final Pattern ASSIGNMENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*=.*");
    /** Words of shell code that come before a command's program. */
    private static final Set<String> RESERVED = Set.of("!", "{", "}", "if", "then", "elif", "else", "do", "while", "until",
            "time", "command");
    /** What an interpolation stands as in shell code read again: a character no code holds. */
    private static final char VALUE = '\uE000';
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** A variable's name or a positional parameter ({@code $0}, {@code $@}), as written after {@code $} and in {@code ${}}. */
    private static final Pattern REF = Pattern.compile(NAME.pattern() + "|[0-9@*]");
    private static final Pattern BRACED_REF = Pattern.compile(NAME.pattern() + "|[0-9]+|[@*]");

    private final Ctx ctx;
    private final Symbol.Component component;
    /** The variables of the component's env (and a script's inputs), by name. */
    private final Map<String, Variable> variables;

    private CodeSplices(Ctx ctx, Symbol.Component component, Ast.Option env) {
        this.ctx = ctx;
        this.component = component;
        this.variables = variables(env);
    }

    /** Reports E0510 for the command of {@code c} made of the {@code argv} options, with {@code env} its variables. */
    static void check(Ctx ctx, Symbol.Component c, Ast.Option env, Ast.Option... argv) {
        List<Arg> args = new ArrayList<>();
        for (Ast.Option o : argv) {
            if (o instanceof Ast.ValueOption v && v.value() instanceof Ast.ListLit list) {
                list.elements().forEach(e -> args.add(new Element(e)));
            }
        }
        new CodeSplices(ctx, c, env).command(args);
    }

    /**
     * Reports E0510 for a shell {@code script} of {@code c}: its body is shell code whose variables are the
     * inputs (named like them) and {@code env}; a runner in it ({@code python3 -c "print('$msg')"}) is seen.
     */
    static void checkScript(Ctx ctx, Symbol.Component c, Ast.Option env, Ast.ScriptOption script) {
        if (!isShell(script)) {
            return;
        }
        CodeSplices splices = new CodeSplices(ctx, c, env);
        for (Symbol.Input i : c.inputs()) {
            splices.variables.putIfAbsent(i.name(), new Variable(List.of(), holdsCode(i.type())));
        }
        splices.shellCode(commands(scriptCode(script)));
    }

    /** Whether {@code script} runs in a shell ({@code sh} when it names no interpreter). */
    static boolean isShell(Ast.ScriptOption script) {
        return SHELL.names().matcher(interpreter(script)).matches();
    }

    /** Whether {@code script} runs in Python. */
    static boolean isPython(Ast.ScriptOption script) {
        return PYTHON.names().matcher(interpreter(script)).matches();
    }

    private static String interpreter(Ast.ScriptOption script) {
        return script.interpreter() == null || script.interpreter().name().isEmpty() ? "sh" : script.interpreter().name();
    }

    private static Ast.StringLit scriptCode(Ast.ScriptOption script) {
        return new Ast.StringLit(List.of(new Ast.Text(script.body(), script.bodySpan())), true, script.bodySpan());
    }

    /**
     * The variables the shell {@code script} expands ({@code $NAME}, {@code ${NAME}}, in double quotes and
     * here-documents too, not in single quotes, comments or quoted here-documents), each the span of its name.
     */
    static List<Span> shellReads(Ast.ScriptOption script) {
        Ast.StringLit code = scriptCode(script);
        ShellWords words = new ShellWords(script.body(), code, List.of(0));
        words.read();
        List<Span> out = new ArrayList<>();
        for (List<Word> command : words.commands) {
            for (Word w : command) {
                for (Ref r : w.refs()) {
                    if (r.span().text().equals(r.name()) && NAME.matcher(r.name()).matches()) {
                        out.add(r.span());
                    }
                }
            }
        }
        return out;
    }

    /**
     * The variables the shell {@code script} sets itself: {@code NAME=...} before or as a command, after
     * {@code export}, {@code local}, {@code declare}, {@code typeset} or {@code readonly}, a name alone after
     * {@code local}, {@code declare} or {@code typeset}, and {@code read NAME}, {@code for NAME in}.
     */
    static Set<String> shellAssigned(Ast.ScriptOption script) {
        Set<String> out = new TreeSet<>();
        for (Command c : commands(scriptCode(script))) {
            for (Word w : c.assignments()) {
                out.add(w.text().substring(0, w.text().indexOf('=')));
            }
            if (c.words().isEmpty()) {
                continue;
            }
            String head = String.valueOf(c.words().get(0).plain());
            boolean declares = DECLARES.contains(head);
            for (Word w : c.words().subList(1, c.words().size())) {
                String lead = w.lead();
                if (declares && ASSIGNMENT.matcher(lead).matches()) {
                    out.add(lead.substring(0, lead.indexOf('=')));
                } else if ((NEW_VARIABLE.contains(head) || head.equals("read") || head.equals("for")) && w.plain() != null
                        && NAME.matcher(w.plain()).matches()) {
                    out.add(w.plain());
                    if (head.equals("for")) {
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static final Set<String> DECLARES = Set.of("export", "local", "declare", "typeset", "readonly");
    /** Those of {@link #DECLARES} that make a new variable of a name given alone ({@code export lr} keeps its value). */
    private static final Set<String> NEW_VARIABLE = Set.of("local", "declare", "typeset");

    /**
     * Reads the commands of shell code in order. A command of assignments alone ({@code msg=fixed}) that runs
     * whatever happened before it (not in a block, a subshell, or after {@code &&}, {@code ||}, {@code |}) gives
     * the code after it those variables: fixed text holds no input any more, a variable holding one passes it on.
     * The variables are the code's own: they are as before once it is read.
     */
    private void shellCode(List<Command> commands) {
        Map<String, Variable> before = new LinkedHashMap<>(variables);
        for (Command c : commands) {
            if (!c.words().isEmpty()) {
                command(c.words());
            } else if (!c.loose()) {
                for (Word w : c.assignments()) {
                    boolean holds = w.value() || w.refs().stream()
                            .anyMatch(r -> variables.containsKey(r.name()) && variables.get(r.name()).holdsInput());
                    variables.put(w.text().substring(0, w.text().indexOf('=')), new Variable(List.of(), holds));
                }
            }
        }
        variables.clear();
        variables.putAll(before);
    }

    /**
     * A variable shell code may expand: the inputs its value holds with text around them (code built in it,
     * {@code CMD = "echo ${msg}"}), and whether its value holds an input's text at all ({@code MSG = msg}).
     */
    private record Variable(List<Ast.Interpolation> spliced, boolean holdsInput, String input) {
        Variable(List<Ast.Interpolation> spliced, boolean holdsInput) {
            this(spliced, holdsInput, null);
        }
    }

    /** The variables of an `env` setting, as written (its mistakes are the settings' to report). */
    private Map<String, Variable> variables(Ast.Option env) {
        Map<String, Ast.Expr> values = new LinkedHashMap<>();
        if (env instanceof Ast.BlockOption b) {
            for (Ast.Option o : b.options()) {
                if (o instanceof Ast.ValueOption v) {
                    values.putIfAbsent(v.key().name(), v.value());
                }
            }
        } else if (env instanceof Ast.ValueOption v && v.value() instanceof Ast.MapLit m) {
            m.entries().forEach(e -> values.putIfAbsent(e.key(), e.value()));
        }
        Map<String, Variable> out = new LinkedHashMap<>();
        values.forEach((name, value) -> {
            String alone = new Element(value).input();
            List<Ast.Interpolation> spliced = new ArrayList<>();
            if (alone == null && value instanceof Ast.StringLit s) {
                spliced.addAll(splicedInputs(s));
            }
            out.put(name, new Variable(spliced, !spliced.isEmpty() || alone != null && codeInput(alone).isPresent()));
        });
        return out;
    }

    // --- arguments -------------------------------------------------------------------------------------------

    /** One argument of a command: an argv element of the component, or a word of shell code. */
    private sealed interface Arg permits Element, Word {
        /** Its text when it is fixed, else null. */
        String plain();

        /** The fixed text it starts with. */
        String lead();

        /** What follows the first {@code n} characters of its fixed text: {@code SQL} of {@code --command=SQL}. */
        Arg after(int n);
    }

    private record Element(Ast.Expr expr) implements Arg {
        @Override
        public String plain() {
            if (!(expr instanceof Ast.StringLit s)) {
                return null;
            }
            StringBuilder b = new StringBuilder();
            for (Ast.StringPart p : s.parts()) {
                if (!(p instanceof Ast.Text t)) {
                    return null;
                }
                b.append(t.text());
            }
            return b.toString();
        }

        @Override
        public String lead() {
            return expr instanceof Ast.StringLit s && !s.parts().isEmpty() && s.parts().get(0) instanceof Ast.Text t
                    ? t.text() : "";
        }

        @Override
        public Element after(int n) {
            Ast.StringLit s = (Ast.StringLit) expr;
            List<Ast.StringPart> parts = new ArrayList<>(s.parts());
            Ast.Text t = (Ast.Text) parts.get(0);
            parts.set(0, new Ast.Text(t.text().substring(n), t.span()));
            return new Element(new Ast.StringLit(parts, s.triple(), s.span()));
        }

        /** The input it is, alone ({@code msg}, {@code "${msg}"}), else null. */
        String input() {
            if (expr instanceof Ast.Name n) {
                return n.ident().name();
            }
            if (expr instanceof Ast.StringLit s) {
                List<Ast.StringPart> parts = s.parts().stream().filter(p -> !(p instanceof Ast.Text t && t.text().isEmpty())).toList();
                if (parts.size() == 1 && parts.get(0) instanceof Ast.Interpolation in && in.expr() instanceof Ast.Name n) {
                    return n.ident().name();
                }
            }
            return null;
        }
    }

    /**
     * A variable a word of shell code expands, as written ({@code $MSG}, {@code ${MSG}}: what E0510 quotes), and where
     * its name is written.
     */
    private record Ref(String name, String written, Span span) {
    }

    /**
     * A word of shell code, its quotes removed: its text, the variables it expands, whether it holds a value, and
     * whether it is what the command reads on its standard input (a here-document's body, a {@code <<<} word).
     */
    private record Word(String text, List<Ref> refs, boolean value, boolean stdin) implements Arg {
        @Override
        public String plain() {
            return refs.isEmpty() && !value ? text : null;
        }

        @Override
        public String lead() {
            int end = 0;
            while (end < text.length() && text.charAt(end) != '$' && text.charAt(end) != VALUE) {
                end++;
            }
            return text.substring(0, end);
        }

        @Override
        public Word after(int n) {
            return new Word(text.substring(n), refs, value, stdin);
        }

        /** Whether it is one variable alone: {@code "$CMD"}. */
        boolean justRef() {
            return refs.size() == 1 && !value && (text.equals("$" + refs.get(0).name()) || text.equals("${" + refs.get(0).name() + "}"));
        }
    }

    // --- commands --------------------------------------------------------------------------------------------

    /** Finds the code of the command {@code argv} (past its wrappers) and what is spliced into it. */
    private void command(List<? extends Arg> words) {
        List<Arg> argv = new ArrayList<>();
        List<Word> stdin = new ArrayList<>();
        for (Arg a : words) {
            if (a instanceof Word w && w.stdin()) {
                stdin.add(w);
            } else {
                argv.add(a);
            }
        }
        List<Arg> command = pastWrappers(argv, true);
        String program = command == null ? null : command.get(0).plain();
        if (program == null) {
            return;
        }
        String base = baseName(program);
        Call call = call(command);
        if (call == null) {
            return;
        }
        Runner runner = call.runner();
        List<Arg> args = call.args();
        if (!stdin.isEmpty() && (runner == SSH ? remoteReadsCode(args) : readsCodeFromStdin(runner, args))) {
            stdin.forEach(w -> writtenIntoStdinCode(runner, base, w));
        }
        boolean operandIsCode = runner.at() == CodeAt.OPERAND;
        boolean codeNext = false;
        int operands = 0;
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            String text = a.plain();
            String lead = a.lead();
            boolean option = lead.length() > 1 && (lead.startsWith("-") || lead.startsWith("+"));
            if (!option) {
                if (operands < runner.operandsBefore()) {
                    operands++; // `sqlite3 DB`, `ssh HOST`
                } else if (codeNext && runner.shell()) {
                    positional(args.subList(i + 1, args.size()), () -> code(runner, base, null, List.of(a)));
                    return;
                } else if (codeNext || operandIsCode) {
                    code(runner, base, null, List.of(a));
                    if (!runner.everyOperand()) {
                        return;
                    }
                } else if (runner.at() == CodeAt.REST && runner.codeOption() == null) {
                    code(runner, base, null, restOfCode(runner, args, i));
                    return;
                } else if (!runner.permutes()) {
                    return; // a script file or a value, and what follows is that program's own arguments
                }
                continue;
            }
            // `--command=SQL`, `-cSQL`: the option with its value in it
            String name = optionName(a, runner.codeOption(), runner.valuedOption(), runner.joined());
            if (name == null) {
                continue; // an option with its value in it: `-vmsg=${msg}`
            }
            boolean attached = !name.equals(text);
            boolean given = runner.programGiven().matcher(name).matches();
            if (runner.codeOption() != null && runner.codeOption().matcher(name).matches()) {
                switch (runner.at()) {
                    case AFTER_OPTIONS -> codeNext = true;
                    case REST -> {
                        code(runner, base, null, restOfCode(runner, args, i + 1));
                        return;
                    }
                    default -> {
                        Arg code = attached ? optionValue(a, name) : i + 1 < args.size() ? args.get(i + 1) : null;
                        if (code != null) {
                            code(runner, base, null, List.of(code));
                        }
                        if (!runner.repeats()) {
                            return;
                        }
                        i += attached ? 0 : 1;
                    }
                }
                operandIsCode &= !given;
            } else if (given) {
                operandIsCode = false;
                i += attached ? 0 : 1;
            } else if (!attached && runner.valuedOption().matcher(name).matches()) {
                i++;
            }
        }
    }

    /**
     * Runs {@code read} with the shell's positional parameters set to {@code args}, those after its code
     * ({@code sh -c CODE ARG0 ARG1}): {@code $0}, {@code $1}, ... and {@code "$@"}, {@code $*} (from {@code $1} on)
     * hold an input where the argument does, named after it in the help.
     */
    private void positional(List<Arg> args, Runnable read) {
        Map<String, Variable> before = new LinkedHashMap<>(variables);
        variables.keySet().removeIf(name -> !NAME.matcher(name).matches());
        for (int n = 0; n < args.size(); n++) {
            String input = inputIn(args.get(n));
            if (input != null) {
                variables.put(String.valueOf(n), new Variable(List.of(), true, input));
                if (n > 0) {
                    variables.putIfAbsent("@", new Variable(List.of(), true, input));
                    variables.putIfAbsent("*", new Variable(List.of(), true, input));
                }
            }
        }
        read.run();
        variables.clear();
        variables.putAll(before);
    }

    /**
     * The input whose text the argv element {@code a} holds ({@code msg}, {@code "x${msg}"}), else null; a word of shell
     * code is none (shell code inside shell code is not read again).
     */
    private String inputIn(Arg a) {
        if (a instanceof Element e && e.input() != null) {
            return codeInput(e.input()).map(Symbol.Input::name).orElse(null);
        }
        if (a instanceof Element e && e.expr() instanceof Ast.StringLit s) {
            List<Ast.Interpolation> spliced = splicedInputs(s);
            return spliced.isEmpty() ? null : ((Ast.Name) spliced.get(0).expr()).ident().name();
        }
        return null;
    }

    /** The interpolations in {@code s} of an input of the component's code ({@code "x${msg}"}), in order. */
    private List<Ast.Interpolation> splicedInputs(Ast.StringLit s) {
        List<Ast.Interpolation> out = new ArrayList<>();
        for (Ast.StringPart p : s.parts()) {
            if (p instanceof Ast.Interpolation in && in.expr() instanceof Ast.Name n && codeInput(n.ident().name()).isPresent()) {
                out.add(in);
            }
        }
        return out;
    }

    /**
     * The command {@code argv} runs past its wrappers ({@code env -i}, {@code sudo -u USER}, {@code docker run IMAGE}),
     * from its program on; null when there is none, or when a wrapper runs code of its own ({@code su -c CODE}), then
     * read here (when {@code report}).
     */
    private List<Arg> pastWrappers(List<Arg> argv, boolean report) {
        int at = 0;
        while (at < argv.size()) {
            String program = argv.get(at).plain();
            Wrapper w = program == null ? null : WRAPPERS.stream()
                    .filter(x -> x.names().matcher(baseName(program)).matches()).findFirst().orElse(null);
            if (w == null) {
                break;
            }
            at++;
            if (w.subcommand() != null) {
                while (at < argv.size() && !(argv.get(at).plain() != null
                        && w.subcommand().matcher(argv.get(at).plain()).matches())) {
                    at++;
                }
                if (at >= argv.size()) {
                    return null;
                }
                at++;
            }
            int operands = w.operands();
            Arg entrypoint = null;
            while (at < argv.size()) {
                Arg a = argv.get(at);
                String text = a.plain();
                if ("--".equals(text)) {
                    at++;
                    break;
                }
                if (a.lead().startsWith("-")) {
                    String split = optionName(a, w.splitString(), NONE, true);
                    if (split != null && w.splitString().matcher(split).matches()) {
                        // `env -S "sh -c 'CODE'" ARG`: the words of its value stand where it stood
                        boolean apart = split.equals(text);
                        Arg value = apart ? (at + 1 < argv.size() ? argv.get(at + 1) : null) : optionValue(a, split);
                        if (value == null) {
                            return null;
                        }
                        List<Arg> spread = new ArrayList<>(argv.subList(0, at));
                        spread.addAll(splitWords(value));
                        spread.addAll(argv.subList(Math.min(argv.size(), at + (apart ? 2 : 1)), argv.size()));
                        argv = spread;
                        continue;
                    }
                    String name = optionName(a, w.codeOption(), w.valuedOption(), true);
                    boolean valued = name != null && name.equals(text);
                    if (name != null && w.codeOption().matcher(name).matches()) {
                        Arg code = valued ? (at + 1 < argv.size() ? argv.get(at + 1) : null) : optionValue(a, name);
                        if (code != null && report) {
                            code(SHELL, baseName(program) + " " + name, w.codeHelp(), List.of(code));
                        }
                        return null;
                    }
                    if (name != null && w.entrypoint().matcher(name).matches()) {
                        entrypoint = valued ? (at + 1 < argv.size() ? argv.get(at + 1) : null) : optionValue(a, name);
                    }
                    at += valued && (w.valuedOption().matcher(text).matches() || w.entrypoint().matcher(text).matches()) ? 2 : 1;
                } else if (ASSIGNMENT.matcher(a.lead()).matches()) {
                    at++;
                } else if (operands > 0) {
                    operands--;
                    at++;
                    if (operands == 0 && w.commandAfterOperands()) {
                        break;
                    }
                } else {
                    break;
                }
            }
            if (entrypoint != null) {
                // `docker run --entrypoint sh IMAGE -c CODE` runs `sh -c CODE`
                List<Arg> command = new ArrayList<>();
                command.add(entrypoint);
                command.addAll(argv.subList(at, argv.size()));
                argv = command;
                at = 0;
            }
        }
        return at < argv.size() ? argv.subList(at, argv.size()) : null;
    }

    /**
     * The arguments {@code env -S} makes of {@code a}: split at blanks, quotes and backslashes read ({@code \_} a blank),
     * a {@code #} starting a word the start of a comment. A value written in it stays in its word, with where it is
     * written; one alone ({@code env -S "$CMD"}) is split by env at its own blanks, which no check can see: left whole.
     */
    private static List<Arg> splitWords(Arg a) {
        if (a instanceof Element e && e.expr() instanceof Ast.StringLit s) {
            StringSplit split = new StringSplit(s);
            for (Ast.StringPart p : s.parts()) {
                if (p instanceof Ast.Text t) {
                    split.text(t);
                } else {
                    split.value(p);
                }
            }
            return split.done();
        }
        if (a instanceof Word w) {
            List<Arg> out = new ArrayList<>();
            for (String piece : new StringSplit(null).plainWords(w.text())) {
                // a variable the outer shell expanded stays with the word it is written in
                List<Ref> refs = w.refs().stream().filter(r -> piece.contains(r.written())).toList();
                out.add(new Word(piece, refs, piece.indexOf(VALUE) >= 0, false));
            }
            return out;
        }
        return List.of(a);
    }

    /** The reader behind {@link #splitWords}: the words so far, each its parts, as env reads the text. */
    private static final class StringSplit {
        final Ast.StringLit string;
        final List<Arg> words = new ArrayList<>();
        List<Ast.StringPart> parts;
        StringBuilder text;
        Span textSpan;
        char quote;
        boolean comment;

        StringSplit(Ast.StringLit string) {
            this.string = string;
        }

        /** The words of fixed text alone (a word of shell code's, with {@link #VALUE} where a value stands). */
        List<String> plainWords(String text) {
            text(new Ast.Text(text, Span.synthetic("")));
            List<String> out = new ArrayList<>();
            for (Arg w : done()) {
                out.add(w.plain());
            }
            return out;
        }

        void text(Ast.Text t) {
            String s = t.text();
            for (int i = 0; i < s.length() && !comment; i++) {
                char c = s.charAt(i);
                if (quote == '\'') {
                    if (c == '\'') {
                        quote = 0;
                    } else {
                        append(t, c);
                    }
                } else if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(++i);
                    if (e == '_' && quote == 0) {
                        endWord();
                    } else {
                        append(t, switch (e) {
                            case 'n' -> '\n';
                            case 't' -> '\t';
                            case 'r' -> '\r';
                            case 'f' -> '\f';
                            case 'v' -> '\u000B';
                            case '_' -> ' ';
                            default -> e;
                        });
                    }
                } else if (quote == '"') {
                    if (c == '"') {
                        quote = 0;
                    } else {
                        append(t, c);
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                    begin();
                } else if (c == ' ' || c == '\t' || c == '\n') {
                    endWord();
                } else if (c == '#' && parts == null) {
                    comment = true;
                } else {
                    append(t, c);
                }
            }
        }

        void value(Ast.StringPart p) {
            if (!comment) {
                begin();
                flushText();
                parts.add(p);
            }
        }

        void begin() {
            if (parts == null) {
                parts = new ArrayList<>();
            }
        }

        void append(Ast.Text t, char c) {
            begin();
            if (text == null) {
                text = new StringBuilder();
                textSpan = t.span();
            }
            text.append(c);
        }

        void flushText() {
            if (text != null) {
                parts.add(new Ast.Text(text.toString(), textSpan));
                text = null;
            }
        }

        void endWord() {
            if (parts != null) {
                flushText();
                words.add(new Element(new Ast.StringLit(parts, false, string == null ? Span.synthetic("") : string.span())));
                parts = null;
            }
        }

        List<Arg> done() {
            endWord();
            return words;
        }
    }

    /** A runner that {@code command} calls, and the arguments it reads. */
    private record Call(Runner runner, List<Arg> args) {
    }

    /**
     * The runner {@code command} (its program first, fixed text) calls: the first one of its name whose sub-command
     * is there ({@code redis-cli EVAL}, {@code redis-cli SCRIPT LOAD}); null when there is none.
     */
    private static Call call(List<Arg> command) {
        String program = baseName(command.get(0).plain());
        for (Runner r : RUNNERS) {
            List<Arg> args = r.names().matcher(program).matches() ? runnerArgs(r, command) : null;
            if (args != null) {
                return new Call(r, args);
            }
        }
        return null;
    }

    /**
     * The arguments {@code runner} reads, from {@code command} (its program first): past its sub-command
     * ({@code deno eval}) where it has one; null when that is not there.
     */
    private static List<Arg> runnerArgs(Runner runner, List<Arg> command) {
        List<Arg> args = command.subList(1, command.size());
        if (runner.subcommand() == null) {
            return args;
        }
        int after = afterSubcommand(runner, args);
        return after < 0 ? null : args.subList(after, args.size());
    }

    /**
     * The name of the option {@code a}: {@code --command} of {@code --command=SQL}; {@code -c} of {@code -cSQL}, and
     * {@code -Bc} of the cluster {@code -Bc"CODE"}, where {@code codeOption} takes its value so ({@code joined}), as
     * getopt reads it: the letters before it are options without a value (one with a value, {@code valuedOption}, takes
     * the rest as its own); else its text (null when it is not fixed).
     */
    private static String optionName(Arg a, Pattern codeOption, Pattern valuedOption, boolean joined) {
        String lead = a.lead();
        int eq = lead.indexOf('=');
        if (lead.startsWith("--") && eq > 2) {
            return lead.substring(0, eq);
        }
        String text = a.plain();
        if (joined && lead.length() >= 2 && (text == null || text.length() > 2) && !lead.startsWith("--")
                && codeOption != null) {
            for (int end = 2; end <= lead.length() && Character.isLetter(lead.charAt(end - 1)); end++) {
                String cluster = lead.substring(0, end);
                if (codeOption.matcher(cluster).matches()) {
                    return cluster;
                }
                if (valuedOption.matcher(cluster).matches()) {
                    break;
                }
            }
        }
        return text;
    }

    /** The value given in the option {@code a} named {@code name}: {@code SQL} of {@code --command=SQL} or {@code -cSQL}. */
    private static Arg optionValue(Arg a, String name) {
        return a.after(name.length() + (name.startsWith("--") ? 1 : 0));
    }

    /**
     * Whether ssh, given {@code args}, runs what it reads on its standard input as code: the host's shell does when
     * no command follows the host, and a command does that reads its code there ({@code sh -s}, {@code python3 -}),
     * its words split at blanks. Not with {@code -n}, {@code -N} or {@code -f}, which read nothing there.
     */
    private boolean remoteReadsCode(List<Arg> args) {
        int host = 0;
        while (host < args.size() && args.get(host).lead().startsWith("-")) {
            String text = args.get(host).plain();
            boolean valued = text != null && SSH.valuedOption().matcher(text).matches();
            if (text != null && !valued && text.matches("-[a-zA-Z]*[nNf][a-zA-Z]*")) {
                return false;
            }
            host += valued ? 2 : 1;
        }
        if (host >= args.size()) {
            return false;
        }
        List<Arg> words = new ArrayList<>();
        for (int i = host + 1; i < args.size(); i++) {
            Arg a = args.get(i);
            int redirection = redirection(args, i);
            if (redirection > 0) {
                i += redirection - 1; // the local shell's, `> "$out"`: no word of the remote command
                continue;
            }
            if (a.plain() == null) {
                return false;
            }
            for (String word : a.plain().strip().split("[ \t\n]+")) {
                words.add(new Word(word, List.of(), false, false));
            }
        }
        if (words.isEmpty() || words.size() == 1 && words.get(0).plain().isEmpty()) {
            return true;
        }
        List<Arg> remote = pastWrappers(words, false);
        Call call = remote == null || remote.get(0).plain() == null ? null : call(remote);
        return call != null && call.runner() != SSH && readsCodeFromStdin(call.runner(), call.args());
    }

    /**
     * Where the arguments of {@code runner} start in {@code args}, its program's: after its sub-command
     * ({@code deno eval}; of up to three words, {@code redis-cli FUNCTION LOAD REPLACE}, the longest that is there),
     * past the options before it. -1 when it is not there.
     */
    private static int afterSubcommand(Runner runner, List<Arg> args) {
        for (int i = 0; i < args.size(); i++) {
            String text = args.get(i).plain();
            for (int n = Math.min(3, args.size() - i); n >= 1; n--) {
                String words = subcommandWords(args.subList(i, i + n));
                if (words != null && runner.subcommand().matcher(words).matches()) {
                    return i + n;
                }
            }
            if (!args.get(i).lead().startsWith("-")) {
                return -1;
            }
            i += text != null && runner.valuedOption().matcher(text).matches() ? 1 : 0;
        }
        return -1;
    }

    /** The words {@code args} as a sub-command is written, a blank between them; null when one is not fixed text. */
    private static String subcommandWords(List<Arg> args) {
        List<String> words = new ArrayList<>();
        for (Arg a : args) {
            if (a.plain() == null) {
                return null;
            }
            words.add(a.plain());
        }
        return String.join(" ", words);
    }

    /** The code of {@code runner} that starts at {@code from} and runs to the end of {@code args}, or to its end mark. */
    private static List<Arg> restOfCode(Runner runner, List<Arg> args, int from) {
        int end = from;
        while (end < args.size() && !(args.get(end).plain() != null && runner.codeEnd().matcher(args.get(end).plain()).matches())) {
            end++;
        }
        return args.subList(from, end);
    }

    /**
     * The code of {@code runner} (called {@code program} in the message), one argument or several joined: what
     * is spliced into it. {@code help} is the way out when the code is a wrapper's ({@code %s} the input).
     */
    private void code(Runner runner, String program, String help, List<? extends Arg> code) {
        boolean joined = code.size() > 1;
        for (Arg a : code) {
            if (a instanceof Element e) {
                splicedInputs(runner, program, help, e, joined);
                if (runner.shell() && e.expr() instanceof Ast.StringLit s) {
                    // read once: the words of a command inside are not read as shell code again
                    shellCode(commands(s));
                }
            } else if (a instanceof Word w) {
                expandedVariables(runner, program, w, joined);
            }
        }
    }

    /** Inputs written inside the code argument {@code e}, or {@code e} itself when it is joined with other code. */
    private void splicedInputs(Runner runner, String program, String help, Element e, boolean joined) {
        String alone = e.input();
        if (alone != null) {
            if (joined) {
                if (e.expr() instanceof Ast.Name n) {
                    codeInput(alone).ifPresent(i -> report(n.span(), n.span().text(), i.name(), runner, program, help));
                } else {
                    spliced(runner, program, help, (Ast.StringLit) e.expr());
                }
            }
            return; // else the code itself, not a value spliced into code
        }
        if (e.expr() instanceof Ast.StringLit s) {
            spliced(runner, program, help, s);
        }
    }

    /** The inputs interpolated into the string {@code s}, code of {@code runner}. */
    private void spliced(Runner runner, String program, String help, Ast.StringLit s) {
        for (Ast.StringPart p : s.parts()) {
            if (p instanceof Ast.Interpolation in && in.expr() instanceof Ast.Name n) {
                codeInput(n.ident().name()).ifPresent(i -> report(n.span(), written(in), i.name(), runner, program, help));
            }
        }
    }

    /** An interpolation as the file writes it ({@code ${msg}}), for E0510 to quote. */
    private static String written(Ast.Interpolation in) {
        String text = in.span().text();
        return text.isEmpty() ? "${" + ((Ast.Name) in.expr()).ident().name() + "}" : text;
    }

    /**
     * Whether {@code runner}, given the arguments {@code args}, runs what it reads on its standard input as code: a
     * shell without {@code -c} and script file (or with {@code -s}), an interpreter without its code option, module or
     * program file ({@code python3 -}, {@code python3}).
     */
    private static boolean readsCodeFromStdin(Runner runner, List<Arg> args) {
        if (runner.at() == CodeAt.REST || runner.at() == CodeAt.OPERAND && runner.operandsBefore() == 0) {
            return false;
        }
        int operands = 0;
        for (int i = 0; i < args.size(); i++) {
            String lead = args.get(i).lead();
            String text = args.get(i).plain();
            int redirection = redirection(args, i);
            if (redirection > 0) {
                i += redirection - 1; // no argument
                continue;
            }
            if ("-".equals(text) || "--".equals(text)) {
                return text.equals("-") || i + 1 == args.size();
            }
            if (!(lead.length() > 1 && (lead.startsWith("-") || runner == SHELL && lead.startsWith("+")))) {
                // a script file; or, where options stand among the operands, an operand (`psql "$DB"`) or the code
                if (!runner.permutes() || runner.at() == CodeAt.OPERAND && ++operands > runner.operandsBefore()) {
                    return false;
                }
                continue;
            }
            String name = optionName(args.get(i), runner.codeOption(), runner.valuedOption(), runner.joined());
            name = name == null ? lead : name;
            if (runner.codeOption().matcher(name).matches() || runner.programGiven().matcher(name).matches()
                    || runner == PYTHON && name.matches("-[a-zA-Z]*m.*")) {
                return false;
            }
            if (text == null) {
                continue; // an option with its value in it: `--dbname="$DB"`
            }
            if (runner == SHELL && text.matches("-[a-zA-Z]*s[a-zA-Z]*")) {
                return true;
            }
            if (runner.valuedOption().matcher(text).matches()) {
                i++;
            }
        }
        return true;
    }

    /**
     * How many words of {@code args} from {@code i} on are a redirection of the shell ({@code > "$out"}, {@code 2>&1}):
     * 0 when the word there is none.
     */
    private static int redirection(List<Arg> args, int i) {
        Arg a = args.get(i);
        if (!(a instanceof Word && a.lead().matches("[0-9]*[<>].*"))) {
            return 0;
        }
        return a.plain() != null && a.plain().matches("[0-9]*[<>]+&?") ? 2 : 1;
    }

    /** Variables holding an input that the shell expands into the code {@code runner} reads on its standard input. */
    private void writtenIntoStdinCode(Runner runner, String program, Word w) {
        for (Ref ref : w.refs()) {
            Variable v = variables.get(ref.name());
            if (v != null && v.holdsInput() && runner == SSH) {
                // its standard input is the code: the value goes there as the first line, read by code in ssh's command
                ctx.report(Diagnostic.of(Code.E0510, ref.span(), ref.written(), program, "the shell writes `$" + ref.name()
                        + "` into the code ssh sends the host on standard input: give ssh the code as its command"
                        + " instead, in single quotes, and send `" + ref.name() + "` on standard input, read there first"
                        + " (`printf '%s\\n' \"$" + ref.name() + "\" | ssh HOST 'read -r " + ref.name() + "; ...'`)"));
            } else if (v != null && v.holdsInput()) {
                ctx.report(Diagnostic.of(Code.E0510, ref.span(), ref.written(), program,
                        "the shell writes `$" + ref.name() + "` into the code `" + program + "` reads on its standard input:"
                                + " keep the shell from expanding it (`<<'EOF'`, `<<< '...'`) and " + (v.input() != null
                                        ? way(runner, program, v.input()) : runner.way() != null
                                        ? runner.way().formatted(ref.name(), ref.name())
                                        : "read the variable in the code itself (`" + runner.envRead().formatted(ref.name()) + "`)")));
            }
        }
    }

    /**
     * Variables of the component's env that a word of shell code, the code of {@code runner}, expands: one alone
     * is the code ({@code eval "$CMD"}), so the inputs spliced into its value are; one with text around it has
     * the shell write its value, an input's, into the code ({@code python3 -c "print('$MSG')"}).
     */
    private void expandedVariables(Runner runner, String program, Word w, boolean joined) {
        for (Ref ref : w.refs()) {
            Variable v = variables.get(ref.name());
            if (v == null) {
                continue;
            }
            if (w.justRef() && !joined) {
                for (Ast.Interpolation in : v.spliced()) {
                    String input = ((Ast.Name) in.expr()).ident().name();
                    ctx.report(Diagnostic.of(Code.E0510, in.expr().span(), written(in), program, runner.way() != null
                            ? "build no code in `env`: " + runner.way().formatted(input, upper(input))
                            : "build no code in `env`: set `" + input + "` alone there (`" + upper(input) + " = " + input
                                    + "`) and read it in the code (`" + runner.envRead().formatted(upper(input)) + "`)"));
                }
            } else if (v.holdsInput() && v.input() != null) {
                // a positional parameter: not a variable the code can read, so the way out is the input's own
                ctx.report(Diagnostic.of(Code.E0510, ref.span(), ref.written(), program,
                        "the shell writes `$" + ref.name() + "` into the code: " + way(runner, program, v.input())));
            } else if (v.holdsInput()) {
                ctx.report(Diagnostic.of(Code.E0510, ref.span(), ref.written(), program, runner.way() != null
                        ? "the shell writes `$" + ref.name() + "` into the code: " + runner.way().formatted(ref.name(), ref.name())
                        : "the shell writes `$" + ref.name() + "` into the code: read the variable in the code itself (`"
                                + runner.envRead().formatted(ref.name()) + "`), the code in single quotes"));
            }
        }
    }

    private java.util.Optional<Symbol.Input> codeInput(String name) {
        return component.inputs().stream().filter(i -> i.name().equals(name) && holdsCode(i.type())).findFirst();
    }

    /** E0510 at {@code at}, the splice {@code written} there of the input {@code input} into the code of {@code runner}. */
    private void report(Span at, String written, String input, Runner runner, String program, String help) {
        String way = help != null ? help.formatted(input, upper(input), input, upper(input)) : way(runner, program, input);
        ctx.report(Diagnostic.of(Code.E0510, at, written, program, way));
    }

    /** The way to give {@code input} to the code of {@code runner} (called {@code program}) as data. */
    private static String way(Runner runner, String program, String input) {
        if (runner.way() != null) {
            return runner.way().formatted(input, upper(input));
        } else if (runner.firstArgument() != null) {
            return "pass `" + input + "` as its own argv element after the code and read it there (`" + runner.firstArgument()
                    + "`), or set it in `env` and read that variable";
        }
        return "set `" + input + "` in `env` (`" + upper(input) + " = " + input + "`) and read it in the code (`"
                + runner.envRead().formatted(upper(input)) + "`)"
                + (runner.at() == CodeAt.REST && runner.codeOption() != null
                        ? ": " + program + " runs every argument after `-Command` as code" : "");
    }

    private static String upper(String name) {
        return name.toUpperCase(Locale.ROOT);
    }

    private static String baseName(String program) {
        return program.substring(program.lastIndexOf('/') + 1);
    }

    /**
     * Whether a value of type {@code t} is text that can hold quotes, {@code $(...)} or line breaks: a String or
     * Quantity (a step may write any text there), a map (its keys are text), and a list or struct holding one. A
     * list of numbers ({@code python3 -c "print(sum(${xs}))"}) is JSON of digits, as an Int is digits.
     */
    private static boolean holdsCode(Type t) {
        Type inner = t instanceof Type.Optional o ? o.inner() : t;
        if (Type.isArtifact(inner) || inner instanceof Type.Volume) {
            return false; // a path Freestone chose
        }
        if (inner instanceof Type.ListOf l) {
            return holdsCode(l.element());
        }
        if (inner instanceof Type.Struct s) {
            return s.fields().values().stream().anyMatch(CodeSplices::holdsCode);
        }
        return !(inner instanceof Type.Scalar sc) || sc.kind() == Type.Kind.STRING || sc.kind() == Type.Kind.QUANTITY;
    }

    // --- shell code read again -----------------------------------------------------------------------------

    /**
     * The commands of the shell code {@code code}, each its words: quotes and backslashes as a POSIX shell reads
     * them, {@code ;}, {@code &}, {@code |}, newlines, parentheses, backquotes and {@code $(} between commands,
     * comments skipped, the words before a program ({@code if}, {@code !}, {@code A=1}) dropped. No expansion
     * runs: {@code $NAME} stays as written, with where it is written; a value spliced in is {@link #VALUE}.
     */
    private static List<Command> commands(Ast.StringLit code) {
        StringBuilder s = new StringBuilder();
        List<Integer> starts = new ArrayList<>();
        for (Ast.StringPart p : code.parts()) {
            starts.add(s.length());
            s.append(p instanceof Ast.Text t ? t.text() : String.valueOf(VALUE));
        }
        ShellWords words = new ShellWords(s.toString(), code, starts);
        words.read();
        List<Command> out = new ArrayList<>();
        int blocks = 0;
        for (int k = 0; k < words.commands.size(); k++) {
            List<Word> command = words.commands.get(k);
            String head = String.valueOf(command.get(0).plain());
            blocks = Math.max(0, blocks - (BLOCK_ENDS.contains(head) ? 1 : 0));
            boolean loose = words.loose.get(k) || blocks > 0;
            blocks += BLOCK_STARTS.contains(head) ? 1 : 0;
            int first = 0;
            List<Word> assignments = new ArrayList<>();
            while (first < command.size() && (RESERVED.contains(String.valueOf(command.get(first).plain()))
                    || ASSIGNMENT.matcher(command.get(first).lead()).matches())) {
                if (!RESERVED.contains(String.valueOf(command.get(first).plain()))) {
                    assignments.add(command.get(first));
                }
                first++;
            }
            out.add(new Command(command.subList(first, command.size()), assignments, loose || first > assignments.size()));
        }
        return out;
    }

    /**
     * A command of shell code: the words from its program on, the assignments before them, and whether it may not
     * run, or runs in a subshell (in a block, after {@code &&} or {@code ||}, in a pipeline or in parentheses).
     */
    private record Command(List<Word> words, List<Word> assignments, boolean loose) {
    }

    /** The first words of shell code that open and close a block whose commands run when it says. */
    private static final Set<String> BLOCK_STARTS = Set.of("if", "while", "until", "for", "case", "select", "{");
    private static final Set<String> BLOCK_ENDS = Set.of("fi", "done", "esac", "}");

    /** The reader behind {@link #commands}. */
    private static final class ShellWords {
        final String s;
        final Ast.StringLit code;
        final List<Integer> starts;
        final List<List<Word>> commands = new ArrayList<>();
        /** For each command, whether it runs in a subshell or after {@code &&}, {@code ||} ({@link Command#loose}). */
        final List<Boolean> loose = new ArrayList<>();
        /** The parentheses, {@code $(} and backquotes the reader is in, and whether the command follows an operator. */
        int parens;
        boolean backquote;
        boolean chained;
        List<Word> command = new ArrayList<>();
        StringBuilder word;
        List<Ref> refs;
        boolean value;
        /** Here-documents whose bodies start at the next line, in order. */
        final List<HereDocument> hereDocuments = new ArrayList<>();
        /** Whether the next word is a {@code <<<} word, read on standard input. */
        boolean hereString;

        /** A here-document: its delimiter, whether it was quoted (no expansion), and the command reading it. */
        record HereDocument(String delimiter, boolean quoted, List<Word> command) {
        }

        ShellWords(String s, Ast.StringLit code, List<Integer> starts) {
            this.s = s;
            this.code = code;
            this.starts = starts;
        }

        void read() {
            char quote = 0;
            int i = 0;
            while (i < s.length()) {
                char ch = s.charAt(i);
                if (ch == VALUE) {
                    begin();
                    value = true;
                    word.append(ch);
                    i++;
                } else if (quote == '\'') {
                    quote = ch == '\'' ? 0 : quote;
                    if (ch != '\'') {
                        word.append(ch);
                    }
                    i++;
                } else if (quote == '"') {
                    if (ch == '"') {
                        quote = 0;
                        i++;
                    } else if (ch == '\\' && i + 1 < s.length() && "$`\"\\\n".indexOf(s.charAt(i + 1)) >= 0) {
                        word.append(s.charAt(i + 1));
                        i += 2;
                    } else if (ch == '$') {
                        i = variable(i);
                    } else {
                        word.append(ch);
                        i++;
                    }
                } else if (ch == ' ' || ch == '\t') {
                    end();
                    i++;
                } else if (ch == '<' && s.startsWith("<<", i)) {
                    end(); // `cat<<EOF` is a redirection as `cat <<EOF` is
                    i = hereDocument(i);
                } else if (arithmetic(i) > 0) {
                    // `$((a << b))`, `((a << b))`: a number, not a here-document; its variables give it no code
                    int close = arithmetic(i);
                    begin();
                    word.append(s, i, close);
                    i = close;
                } else if (ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i = ansiC(i + 2);
                } else if (ch == '\n' && !hereDocuments.isEmpty()) {
                    end();
                    endCommand();
                    chained = false;
                    i = hereDocumentBodies(i + 1);
                } else if ("\n;&|()`".indexOf(ch) >= 0 || ch == '$' && i + 1 < s.length() && s.charAt(i + 1) == '(') {
                    end();
                    boolean operator = ch == '|' || ch == '&';
                    boolean continued = ch == '\n' && command.isEmpty() && chained; // `a &&` and `b` on the next line
                    chained |= operator;
                    endCommand();
                    chained = operator || continued;
                    parens = ch == '(' || ch == '$' ? parens + 1 : ch == ')' ? Math.max(0, parens - 1) : parens;
                    backquote ^= ch == '`';
                    i += ch == '$' ? 2 : 1;
                } else if (ch == '#' && word == null) {
                    while (i < s.length() && s.charAt(i) != '\n') {
                        i++;
                    }
                } else if (ch == '\\') {
                    if (i + 1 < s.length() && s.charAt(i + 1) != '\n') {
                        begin();
                        word.append(s.charAt(i + 1));
                    }
                    i += 2;
                } else if (ch == '\'' || ch == '"') {
                    begin();
                    quote = ch;
                    i++;
                } else if (ch == '$') {
                    i = variable(i);
                } else {
                    begin();
                    word.append(ch);
                    i++;
                }
            }
            end();
            endCommand();
        }

        /**
         * The offset after the arithmetic {@code $((...))} or {@code ((...))} at {@code i} (its closing
         * {@code ))}), or 0 when there is none there.
         */
        int arithmetic(int i) {
            int open = s.startsWith("$((", i) ? i + 3 : s.startsWith("((", i) ? i + 2 : -1;
            if (open < 0) {
                return 0;
            }
            int depth = 2;
            for (int j = open; j < s.length(); j++) {
                char c = s.charAt(j);
                if (c == '(') {
                    depth++;
                } else if (c == ')' && --depth == 0) {
                    return s.charAt(j - 1) == ')' && depth == 0 ? j + 1 : 0;
                } else if (c == '\n' || c == '\'' || c == '"' || c == '`') {
                    return 0; // a subshell in a subshell (`((cd a; ls))`), not arithmetic
                }
            }
            return 0;
        }

        /**
         * The ANSI-C quoted text ({@code $'...'}) whose content starts at {@code i}: its backslash escapes
         * ({@code \'} among them) read, nothing expanded. The offset after its closing quote.
         */
        int ansiC(int i) {
            begin();
            while (i < s.length() && s.charAt(i) != '\'') {
                char c = s.charAt(i);
                if (c == '\\' && i + 1 < s.length()) {
                    char e = s.charAt(i + 1);
                    word.append(switch (e) {
                        case 'n' -> '\n';
                        case 't' -> '\t';
                        case 'r' -> '\r';
                        default -> e;
                    });
                    i += 2;
                } else {
                    word.append(c);
                    i++;
                }
            }
            return Math.min(i + 1, s.length());
        }

        /**
         * The redirection {@code <<WORD}, {@code <<-WORD} or {@code <<<} at {@code i}: the offset after it. A
         * here-document's body is no command: it is read at the end of the line, as what the command reads.
         */
        int hereDocument(int i) {
            if (s.startsWith("<<<", i)) {
                hereString = true;
                return i + 3;
            }
            int j = i + 2 + (s.startsWith("<<-", i) ? 1 : 0);
            while (j < s.length() && (s.charAt(j) == ' ' || s.charAt(j) == '\t')) {
                j++;
            }
            int start = j;
            while (j < s.length() && " \t\n;&|()<>".indexOf(s.charAt(j)) < 0) {
                j++;
            }
            String written = s.substring(start, j);
            if (!written.matches("[A-Za-z_'\"\\\\].*")) {
                return i + 2; // not a here-document's word: `$((1<<2))`
            }
            String delimiter = written.replaceAll("['\"\\\\]", "");
            hereDocuments.add(new HereDocument(delimiter, !delimiter.equals(written), command));
            return j;
        }

        /**
         * The bodies of the pending here-documents, from {@code i} on, each up to its delimiter's line: an unquoted one
         * becomes a word of its command, read on standard input, with the variables it expands. The offset after them.
         */
        int hereDocumentBodies(int i) {
            for (HereDocument h : hereDocuments) {
                boolean body = !h.quoted();
                if (body) {
                    begin();
                }
                while (i < s.length()) {
                    int eol = s.indexOf('\n', i);
                    int end = eol < 0 ? s.length() : eol;
                    if (s.substring(i, end).strip().equals(h.delimiter())) {
                        i = eol < 0 ? end : end + 1;
                        break;
                    }
                    while (i < end) {
                        if (body && s.charAt(i) == '$') {
                            i = variable(i);
                        } else {
                            if (body) {
                                word.append(s.charAt(i));
                            }
                            i += body && s.charAt(i) == '\\' ? Math.min(2, end - i) : 1;
                        }
                    }
                    if (body) {
                        word.append('\n');
                    }
                    i = end + 1;
                }
                if (body) {
                    h.command().add(new Word(word.toString(), refs, value, true));
                    word = null;
                }
            }
            hereDocuments.clear();
            return i;
        }

        /** {@code $NAME} or {@code ${NAME}} at {@code i} (else a {@code $}): the offset after it. */
        int variable(int i) {
            begin();
            boolean braced = i + 1 < s.length() && s.charAt(i + 1) == '{';
            Matcher m = (braced ? BRACED_REF : REF).matcher(s);
            m.region(i + (braced ? 2 : 1), s.length());
            if (!m.lookingAt() || braced && (m.end() >= s.length() || s.charAt(m.end()) != '}')) {
                word.append('$');
                return i + 1;
            }
            int end = braced ? m.end() + 1 : m.end();
            String written = s.substring(i, end);
            word.append(written);
            refs.add(new Ref(m.group(), written, where(i, written, m.group())));
            return end;
        }

        /**
         * Where the variable written {@code written} at offset {@code at} of the code is in the file: the same
         * occurrence in the text part's source (escapes change offsets, not the order of occurrences).
         */
        Span where(int at, String written, String name) {
            int part = 0;
            while (part + 1 < starts.size() && starts.get(part + 1) <= at) {
                part++;
            }
            Ast.Text t = (Ast.Text) code.parts().get(part);
            int nth = 0;
            for (int k = t.text().indexOf(written); k >= 0 && k < at - starts.get(part); k = t.text().indexOf(written, k + 1)) {
                nth++;
            }
            String raw = t.span().text();
            int k = raw.indexOf(written);
            for (int n = 0; n < nth && k >= 0; n++) {
                k = raw.indexOf(written, k + 1);
            }
            if (k < 0) {
                return t.span();
            }
            int start = t.span().start() + k + written.indexOf(name);
            return Span.of(t.span().source(), start, start + name.length());
        }

        void begin() {
            if (word == null) {
                word = new StringBuilder();
                refs = new ArrayList<>();
                value = false;
            }
        }

        void end() {
            if (word != null) {
                command.add(new Word(word.toString(), refs, value, hereString));
                word = null;
                hereString = false;
            }
        }

        void endCommand() {
            hereString = false;
            if (!command.isEmpty()) {
                commands.add(command);
                loose.add(chained || parens > 0 || backquote);
                command = new ArrayList<>();
            }
        }
    }
}
