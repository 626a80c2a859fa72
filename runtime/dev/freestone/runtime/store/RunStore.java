package dev.freestone.runtime.store;

import dev.freestone.runtime.store.Schema.Migration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The run store: one SQLite database ({@value #DATABASE_FILE}) in the Freestone home, shared by
 * every local and Argo run and by every Freestone process on the machine.
 *
 * <p>How it stays safe: WAL journal with {@code synchronous=NORMAL} (a crash of the process at any
 * moment loses nothing committed; a power loss may lose the last commits, never the file),
 * foreign keys on, every method one short transaction, writes begin {@code IMMEDIATE} so that a
 * writer waits for the lock up front instead of failing half-way, and a transaction that still
 * meets {@code SQLITE_BUSY} (past the busy timeout) is rolled back and retried with backoff.
 *
 * <p>A store is safe for use by several threads (calls are serialized); several processes each
 * open their own.
 */
public final class RunStore implements AutoCloseable {
    /** The database file inside the Freestone home. */
    public static final String DATABASE_FILE = "runs.db";
    /** The artifact store directory inside the Freestone home. */
    public static final String ARTIFACTS_DIR = "artifacts";
    /** How many candidates an {@link RunLookup.Ambiguous} answer lists. */
    public static final int AMBIGUOUS_SHOWN = 10;
    /** What names the newest run, wherever a run id is asked for: Argo's {@code argo get @latest}. */
    public static final String LATEST = "@latest";

    static final int BUSY_TIMEOUT_MILLIS = 5_000;
    private static final long RETRY_NANOS = 120_000_000_000L;
    private static final int CACHE_CANDIDATES = 50;
    /** The newest successful executions with a key (index tasks_by_cache_key, in its order). */
    private static final String CACHE_LOOKUP =
            "WHERE cache_key = ? AND state = 'Succeeded' ORDER BY finished_at DESC, run_id DESC LIMIT ?";
    private static final int SQLITE_BUSY = 5;
    private static final int SQLITE_LOCKED = 6;
    private static final int SQLITE_NOTADB = 26;
    private static final int SQLITE_CORRUPT = 11;
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path home;
    private final Path database;
    private final Clock clock;
    private final ArtifactStore artifacts;
    private final Connection connection;
    private final Random random = new SecureRandom();
    /**
     * The connection's statements by SQL, prepared once: SQLite compiles a statement (its checks,
     * foreign keys and indexes) in more time than a small write takes. Used under this store's lock.
     */
    private final Map<String, PreparedStatement> statements = new HashMap<>();
    private boolean closed;
    /** > 0 while {@link #atomically} runs: writes join its transaction. */
    private int batchDepth;

    private RunStore(Path home, Path database, Clock clock, ArtifactStore artifacts, Connection connection) {
        this.home = home;
        this.database = database;
        this.clock = clock;
        this.artifacts = artifacts;
        this.connection = connection;
    }

    /** Opens (creating and migrating as needed) the store in {@code home}. */
    public static RunStore open(Path home) {
        return open(home, Clock.systemUTC());
    }

    /** As {@link #open(Path)}, with the clock that stamps run, status and event times. */
    public static RunStore open(Path home, Clock clock) {
        return open(home, clock, Schema.MIGRATIONS);
    }

    static RunStore open(Path home, Clock clock, List<Migration> migrations) {
        Path dir = FreestoneHome.create(home.toAbsolutePath().normalize());
        ArtifactStore artifacts;
        try {
            artifacts = ArtifactStore.open(dir.resolve(ARTIFACTS_DIR));
        } catch (IOException e) {
            throw new StoreException("cannot open the artifact store in " + dir + ": " + e.getMessage(), e);
        }
        Path database = dir.resolve(DATABASE_FILE);
        SqliteLibrary.useCacheIn(dir);
        Connection connection;
        try {
            // every run's values and messages: the owner's alone, also in a home that already existed
            FreestoneHome.privateFile(database);
        } catch (IOException e) {
            throw new StoreException("cannot create the run store " + database + ": " + e.getMessage(), e);
        }
        try {
            // sqlite-jdbc would follow every INSERT with its own "SELECT last_insert_rowid()", compiled
            // anew each time (a seventh of the store writer's time); the store asks for the row id itself
            java.util.Properties settings = new java.util.Properties();
            settings.setProperty(org.sqlite.SQLiteConfig.Pragma.JDBC_GET_GENERATED_KEYS.pragmaName, "false");
            connection = DriverManager.getConnection("jdbc:sqlite:" + database, settings);
        } catch (SQLException e) {
            throw new StoreException("cannot open the run store " + database + ": " + e.getMessage(), e);
        }
        RunStore store = new RunStore(dir, database, clock, artifacts, connection);
        try {
            store.configure();
            store.migrate(migrations);
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    private void configure() {
        retrying("configure", () -> {
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA busy_timeout = " + BUSY_TIMEOUT_MILLIS);
                s.execute("PRAGMA foreign_keys = ON");
                // WAL is a property of the file: only the first opener needs the exclusive lock to set it
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
                    rs.next();
                    if (!"wal".equalsIgnoreCase(rs.getString(1))) {
                        try (ResultSet set = s.executeQuery("PRAGMA journal_mode = WAL")) {
                            set.next();
                            if (!"wal".equalsIgnoreCase(set.getString(1))) {
                                throw new StoreException("the run store " + database
                                        + " cannot use a write-ahead log (journal mode " + set.getString(1) + ")");
                            }
                        }
                    }
                }
                s.execute("PRAGMA synchronous = NORMAL");
            }
            return null;
        });
    }

    private void migrate(List<Migration> migrations) {
        int latest = migrations.get(migrations.size() - 1).version();
        int current = read("read the schema version", this::checkedVersion);
        if (current > latest) {
            throw new StoreException("the run store " + database + " has schema version " + current
                    + " but this Freestone knows versions up to " + latest + "; use a newer Freestone",
                    "it was written by a newer Freestone and is left as it is (an older one never downgrades a store):"
                            + " upgrade Freestone, or set FREESTONE_HOME to another directory", null);
        }
        if (current < latest) {
            // re-checked under the write lock: another process may have migrated meanwhile
            write("migrate the schema", c -> {
                checkedVersion(c);
                return Schema.migrate(c, migrations, now());
            });
        }
    }

    /** The schema version, refusing a database that holds tables of something else. */
    private int checkedVersion(Connection c) throws SQLException {
        int version = Schema.currentVersion(c);
        if (version == 0) {
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
                rs.next();
                if (rs.getInt(1) > 0) {
                    throw new StoreException(database + " is a SQLite database but not a Freestone run store");
                }
            }
        }
        return version;
    }

    public Path home() {
        return home;
    }

    public Path databaseFile() {
        return database;
    }

    /** The content-addressed store of this home's artifacts. */
    public ArtifactStore artifacts() {
        return artifacts;
    }

    public int schemaVersion() {
        return read("read the schema version", Schema::currentVersion);
    }

    // ---- runs ------------------------------------------------------------------------------

    /** Records a new {@code Pending} run started now, under a fresh id. */
    public RunRecord createRun(NewRun run) {
        return write("create a run of " + run.pipeline(), c -> {
            Instant now = now();
            while (true) {
                String id = RunIds.next(now, random);
                {
                    PreparedStatement ps = prepared("""
                        INSERT INTO runs (id, pipeline, version, source_path, source_digest, git_commit, params,
                                          backend, remote_namespace, remote_name, status, started_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO NOTHING""");
                    ps.setString(1, id);
                    ps.setString(2, run.pipeline());
                    ps.setString(3, run.version());
                    ps.setString(4, run.sourcePath());
                    ps.setString(5, run.sourceDigest());
                    ps.setString(6, run.gitCommit().orElse(null));
                    ps.setString(7, run.paramsJson());
                    ps.setString(8, run.backend().wireName());
                    ps.setString(9, run.remote().map(RemoteRef::namespace).orElse(null));
                    ps.setString(10, run.remote().map(RemoteRef::name).orElse(null));
                    ps.setString(11, RunStatus.Pending.name());
                    ps.setString(12, formatTime(now));
                    if (ps.executeUpdate() == 1) {
                        return new RunRecord(id, run.pipeline(), run.version(), run.sourcePath(), run.sourceDigest(),
                                run.gitCommit(), run.paramsJson(), run.backend(), run.remote(), RunStatus.Pending,
                                now, Optional.empty(), Optional.empty());
                    }
                }
            }
        });
    }

    /**
     * Sets the run's status and message. A terminal status stamps the finish time; a non-terminal
     * one (a resumed run) clears it.
     */
    public void updateRunStatus(String runId, RunStatus status, Optional<String> message) {
        updateRunStatus(runId, status, message, Optional.empty());
    }

    /**
     * As above, and, when given, the pipeline's outputs ({@code outputsJson}, a JSON object) in the same
     * row update: a finished run is never seen without them.
     */
    public void updateRunStatus(String runId, RunStatus status, Optional<String> message, Optional<String> outputsJson) {
        write("update run " + runId, c -> {
            {
                PreparedStatement ps = prepared(
                        "UPDATE runs SET status = ?, finished_at = ?, message = ?, outputs = coalesce(?, outputs) WHERE id = ?");
                ps.setString(1, status.name());
                ps.setString(2, status.isTerminal() ? formatTime(now()) : null);
                ps.setString(3, message.orElse(null));
                ps.setString(4, outputsJson.orElse(null));
                ps.setString(5, runId);
                requireOne(ps.executeUpdate(), "no run " + runId);
            }
            return null;
        });
    }

    /**
     * The pipeline's outputs as its engine recorded them when the run finished (a JSON object); empty
     * while it runs, for a remote run and for a run recorded before the store kept them.
     */
    public Optional<String> runOutputs(String runId) {
        return read("read the outputs of run " + runId, c -> {
            PreparedStatement ps = prepared("SELECT outputs FROM runs WHERE id = ?");
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        });
    }

    /** Records the Argo Workflow of a remote run once it is known (after submission). */
    public void setRemoteRef(String runId, RemoteRef remote) {
        write("update run " + runId, c -> {
            {
                PreparedStatement ps = prepared(
                        "UPDATE runs SET remote_namespace = ?, remote_name = ? WHERE id = ?");
                ps.setString(1, remote.namespace());
                ps.setString(2, remote.name());
                ps.setString(3, runId);
                requireOne(ps.executeUpdate(), "no run " + runId);
            }
            return null;
        });
    }

    /**
     * The run named by a full id, a unique prefix of one, or {@link #LATEST}. Other methods take full ids:
     * resolve a user's prefix here once.
     */
    public RunLookup getRun(String idOrPrefix) {
        if (LATEST.equals(idOrPrefix)) {
            List<RunRecord> newest = listRuns(Optional.empty(), 1);
            return newest.isEmpty() ? new RunLookup.NotFound(idOrPrefix) : new RunLookup.Found(idOrPrefix, newest.get(0));
        }
        if (!RunIds.PREFIX.matcher(idOrPrefix).matches()) {
            return new RunLookup.NotFound(idOrPrefix);
        }
        return read("look up run " + idOrPrefix, c -> {
            Optional<RunRecord> exact = queryRuns(c, "WHERE id = ?", idOrPrefix).stream().findFirst();
            if (exact.isPresent()) {
                return new RunLookup.Found(idOrPrefix, exact.get());
            }
            // ids hold only [a-z0-9-], all below '~': this range is exactly the ids with the prefix
            List<String> ids = new ArrayList<>();
            int count;
            {
                PreparedStatement ps = prepared(
                        "SELECT id, count(*) OVER () FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT ?");
                ps.setString(1, idOrPrefix);
                ps.setString(2, idOrPrefix + "~");
                ps.setInt(3, AMBIGUOUS_SHOWN);
                try (ResultSet rs = ps.executeQuery()) {
                    count = 0;
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                        count = rs.getInt(2);
                    }
                }
            }
            if (count == 0) {
                return new RunLookup.NotFound(idOrPrefix);
            }
            if (count == 1) {
                return new RunLookup.Found(idOrPrefix, queryRuns(c, "WHERE id = ?", ids.get(0)).get(0));
            }
            return new RunLookup.Ambiguous(idOrPrefix, ids, count);
        });
    }

    /** The newest runs first, of one pipeline or of all; {@code limit <= 0} means no limit. */
    public List<RunRecord> listRuns(Optional<String> pipeline, int limit) {
        return read("list runs", c -> pipeline.isPresent()
                ? queryRuns(c, "WHERE pipeline = ? ORDER BY started_at DESC, id DESC LIMIT ?", pipeline.get(),
                        limit <= 0 ? -1 : limit)
                : queryRuns(c, "ORDER BY started_at DESC, id DESC LIMIT ?", limit <= 0 ? -1 : limit));
    }

    /**
     * Deletes a run and all that is recorded of it (tasks, attempts, events, artifacts, lineage,
     * metrics: the foreign keys cascade); false when there is no such run. Inside {@link #atomically},
     * several runs go in one transaction. Files are not touched: {@link Sweep} removes them after the commit.
     */
    public boolean deleteRun(String runId) {
        return write("delete run " + runId, c -> {
            PreparedStatement ps = prepared("DELETE FROM runs WHERE id = ?");
            ps.setString(1, runId);
            return ps.executeUpdate() == 1;
        });
    }

    /** The ids of every run. */
    public java.util.Set<String> runIds() {
        return read("list run ids", c -> {
            java.util.Set<String> ids = new java.util.HashSet<>();
            try (ResultSet rs = prepared("SELECT id FROM runs").executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        });
    }

    private static final java.util.regex.Pattern DIGEST_IN_TEXT = java.util.regex.Pattern.compile("(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])");

    /**
     * The digests of every object a run other than {@code except} refers to: its artifacts and lineage,
     * and any digest written in its parameters, task outputs or events (its pipeline, the files its
     * parameters were read from, the inputs of its cache keys). Read generously: an object named
     * anywhere is kept.
     */
    public java.util.Set<String> referencedDigests(java.util.Set<String> except) {
        return read("list the objects runs refer to", c -> {
            java.util.Set<String> digests = new java.util.HashSet<>();
            for (String sql : List.of(
                    "SELECT run_id, digest FROM artifacts WHERE digest IS NOT NULL",
                    "SELECT run_id, digest FROM lineage WHERE digest IS NOT NULL",
                    "SELECT id, params FROM runs",
                    "SELECT run_id, outputs FROM tasks",
                    "SELECT run_id, message FROM events")) {
                try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
                    while (rs.next()) {
                        String text = rs.getString(2);
                        if (text == null || except.contains(rs.getString(1))) {
                            continue;
                        }
                        java.util.regex.Matcher m = DIGEST_IN_TEXT.matcher(text);
                        while (m.find()) {
                            digests.add(m.group());
                        }
                    }
                }
            }
            return digests;
        });
    }

    // ---- tasks and attempts -------------------------------------------------------------------

    /** Writes the task row whole (the attempt count never goes down). */
    public void upsertTask(TaskRecord task) {
        write("record task " + task.taskId() + " of " + task.runId(), c -> {
            upsertTask(c, task);
            return null;
        });
    }

    /**
     * Writes a task together with its output artifacts and metrics in one transaction, so that a
     * {@code Succeeded} task is never seen (for instance by the cache) without its outputs.
     */
    public void recordTaskResult(TaskRecord task, List<ArtifactRecord> outputs, List<MetricRecord> metrics) {
        for (ArtifactRecord a : outputs) {
            requireSameTask(task, a.runId(), a.taskId(), "artifact " + a.outputName());
        }
        for (MetricRecord m : metrics) {
            requireSameTask(task, m.runId(), m.taskId(), "metric " + m.name());
        }
        write("record the result of task " + task.taskId() + " of " + task.runId(), c -> {
            upsertTask(c, task);
            for (ArtifactRecord a : outputs) {
                insertArtifact(c, a);
            }
            for (MetricRecord m : metrics) {
                insertMetric(c, m);
            }
            return null;
        });
    }

    /** The tasks of a run in the order they were first recorded. */
    public List<TaskRecord> tasks(String runId) {
        return read("read the tasks of " + runId, c -> queryTasks(c, "WHERE run_id = ? ORDER BY rowid", runId));
    }

    public Optional<TaskRecord> task(String runId, String taskId) {
        return read("read task " + taskId + " of " + runId,
                c -> queryTasks(c, "WHERE run_id = ? AND task_id = ?", runId, taskId).stream().findFirst());
    }

    /**
     * Records a started attempt (again, harmlessly, if it was already recorded) and raises the
     * task's attempt count to its number. The task must exist.
     */
    public void startAttempt(AttemptRecord attempt) {
        write("record attempt " + attempt.number() + " of " + attempt.taskId(), c -> {
            {
                PreparedStatement ps = prepared("""
                    INSERT INTO attempts (run_id, task_id, number, pid, process_started_at, started_at,
                                          finished_at, exit_code, log_path)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, task_id, number) DO UPDATE SET
                      pid = excluded.pid, process_started_at = excluded.process_started_at,
                      started_at = excluded.started_at, finished_at = excluded.finished_at,
                      exit_code = excluded.exit_code, log_path = excluded.log_path""");
                ps.setString(1, attempt.runId());
                ps.setString(2, attempt.taskId());
                ps.setInt(3, attempt.number());
                setLong(ps, 4, attempt.process().map(OsProcess::pid));
                ps.setString(5, attempt.process().map(p -> formatTime(p.startedAt())).orElse(null));
                ps.setString(6, formatTime(attempt.startedAt()));
                ps.setString(7, attempt.finishedAt().map(RunStore::formatTime).orElse(null));
                setInt(ps, 8, attempt.exitCode());
                ps.setString(9, attempt.logPath().orElse(null));
                ps.executeUpdate();
            }
            {
                PreparedStatement ps = prepared(
                        "UPDATE tasks SET attempts = max(attempts, ?) WHERE run_id = ? AND task_id = ?");
                ps.setInt(1, attempt.number());
                ps.setString(2, attempt.runId());
                ps.setString(3, attempt.taskId());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Records the end of an attempt; the exit code is empty when unknown (an orphan found at resume). */
    public void finishAttempt(String runId, String taskId, int number, Optional<Integer> exitCode, Instant at) {
        write("finish attempt " + number + " of " + taskId, c -> {
            {
                PreparedStatement ps = prepared("""
                    UPDATE attempts SET exit_code = ?, finished_at = ?
                    WHERE run_id = ? AND task_id = ? AND number = ?""");
                setInt(ps, 1, exitCode);
                ps.setString(2, formatTime(at));
                ps.setString(3, runId);
                ps.setString(4, taskId);
                ps.setInt(5, number);
                requireOne(ps.executeUpdate(), "no attempt " + number + " of task " + taskId + " in run " + runId);
            }
            return null;
        });
    }

    /** The attempts of one task, by number. */
    public List<AttemptRecord> attempts(String runId, String taskId) {
        return read("read the attempts of " + taskId,
                c -> queryAttempts(c, "WHERE run_id = ? AND task_id = ? ORDER BY number", runId, taskId));
    }

    /** All attempts of a run in the order they were recorded (what {@code resume} scans for orphans). */
    public List<AttemptRecord> attempts(String runId) {
        return read("read the attempts of " + runId, c -> queryAttempts(c, "WHERE run_id = ? ORDER BY rowid", runId));
    }

    // ---- labels -----------------------------------------------------------------------------

    /** Gives the run these labels (the user's {@code --label key=value}), besides those it has. */
    public void addLabels(String runId, java.util.Map<String, String> labels) {
        write("record the labels of " + runId, c -> {
            PreparedStatement ps = prepared("INSERT OR REPLACE INTO run_labels (run_id, key, value) VALUES (?, ?, ?)");
            for (java.util.Map.Entry<String, String> l : new java.util.TreeMap<>(labels).entrySet()) {
                ps.setString(1, runId);
                ps.setString(2, l.getKey());
                ps.setString(3, l.getValue());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The run's labels, by key. */
    public java.util.SortedMap<String, String> labels(String runId) {
        return read("read the labels of " + runId, c -> {
            PreparedStatement ps = prepared("SELECT key, value FROM run_labels WHERE run_id = ? ORDER BY key");
            ps.setString(1, runId);
            java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    /** The ids of the runs that have the label {@code key} (with {@code value}, when given). */
    public java.util.Set<String> runsLabelled(String key, Optional<String> value) {
        return read("find the runs labelled " + key, c -> {
            PreparedStatement ps = prepared(value.isPresent()
                    ? "SELECT run_id FROM run_labels WHERE key = ? AND value = ?" : "SELECT run_id FROM run_labels WHERE key = ?");
            ps.setString(1, key);
            if (value.isPresent()) {
                ps.setString(2, value.get());
            }
            java.util.Set<String> out = new java.util.HashSet<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
            return out;
        });
    }

    // ---- events -----------------------------------------------------------------------------

    /** Appends an event stamped now. */
    public EventRecord appendEvent(String runId, Optional<String> taskId, String kind, String message) {
        return write("record an event of " + runId, c -> {
            Instant now = now();
            {
                PreparedStatement ps = prepared(
                        "INSERT INTO events (run_id, task_id, at, kind, message) VALUES (?, ?, ?, ?, ?)");
                ps.setString(1, runId);
                ps.setString(2, taskId.orElse(null));
                ps.setString(3, formatTime(now));
                ps.setString(4, kind);
                ps.setString(5, message);
                ps.executeUpdate();
            }
            try (ResultSet rs = prepared("SELECT last_insert_rowid()").executeQuery()) {
                rs.next();
                return new EventRecord(rs.getLong(1), runId, taskId, now, kind, message);
            }
        });
    }

    public List<EventRecord> events(String runId) {
        return events(runId, 0);
    }

    /** The events of a run with {@code seq > afterSeq}, oldest first (for following a live run). */
    public List<EventRecord> events(String runId, long afterSeq) {
        return read("read the events of " + runId,
                c -> queryEvents(c, "WHERE run_id = ? AND seq > ? ORDER BY seq", runId, afterSeq));
    }

    // ---- artifacts, lineage, metrics ------------------------------------------------------------

    /** Records (or replaces) the artifact of one task output. */
    public void recordArtifact(ArtifactRecord artifact) {
        write("record artifact " + artifact.outputName() + " of " + artifact.taskId(), c -> {
            insertArtifact(c, artifact);
            return null;
        });
    }

    /** The artifacts produced by a run's tasks, in the order recorded. */
    public List<ArtifactRecord> artifacts(String runId) {
        return read("read the artifacts of " + runId,
                c -> queryArtifacts(c, "WHERE a.run_id = ? ORDER BY a.rowid", runId));
    }

    public void recordLineage(LineageRecord lineage) {
        write("record an input of " + lineage.taskId(), c -> {
            {
                PreparedStatement ps = prepared("""
                    INSERT INTO lineage (run_id, task_id, input_name, digest, uri) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (run_id, task_id, input_name, uri) DO UPDATE SET digest = excluded.digest""");
                ps.setString(1, lineage.runId());
                ps.setString(2, lineage.taskId());
                ps.setString(3, lineage.inputName());
                ps.setString(4, lineage.digest().orElse(null));
                ps.setString(5, lineage.uri());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** The artifacts consumed by a run's tasks, in the order recorded. */
    public List<LineageRecord> lineage(String runId) {
        return read("read the lineage of " + runId, c -> queryLineage(c, "WHERE a.run_id = ? ORDER BY a.rowid", runId));
    }

    // ---- lineage: an artifact's producers and consumers, each found through an index ---------------------

    /**
     * An artifact's rows: by its digest, or a remote artifact's (no digest) by its location. Run {@code ?} first
     * (the run asking), then the earliest run first.
     */
    static final String PRODUCERS_BY_DIGEST = "JOIN runs r ON r.id = a.run_id WHERE a.digest = ?"
            + " ORDER BY a.run_id = ? DESC, r.started_at, r.id, a.rowid LIMIT ?";
    static final String PRODUCERS_BY_URI = "JOIN runs r ON r.id = a.run_id WHERE a.digest IS NULL AND a.uri = ?"
            + " ORDER BY a.run_id = ? DESC, r.started_at, r.id, a.rowid LIMIT ?";
    static final String CONSUMERS_BY_DIGEST = "JOIN runs r ON r.id = a.run_id WHERE a.digest = ?"
            + " ORDER BY r.started_at, r.id, a.rowid";
    static final String CONSUMERS_BY_URI = "JOIN runs r ON r.id = a.run_id WHERE a.digest IS NULL AND a.uri = ?"
            + " ORDER BY r.started_at, r.id, a.rowid";

    /**
     * The task outputs that produced an artifact: those with its {@code digest}, or, for a remote artifact (no
     * digest), those at its {@code uri}; run {@code first}'s (may be null) before the others, then the earliest
     * run's first; at most {@code limit} ({@code <= 0}: all).
     */
    public List<ArtifactRecord> producers(Optional<String> digest, String uri, String first, int limit) {
        return read("find what produced " + digest.orElse(uri), c -> queryArtifacts(c,
                digest.isPresent() ? PRODUCERS_BY_DIGEST : PRODUCERS_BY_URI, digest.orElse(uri), first,
                limit <= 0 ? -1 : limit));
    }

    /** The task inputs that consumed an artifact (by digest, or a remote one by location as above), earliest run first. */
    public List<LineageRecord> consumers(Optional<String> digest, String uri) {
        return read("find what consumed " + digest.orElse(uri),
                c -> queryLineage(c, digest.isPresent() ? CONSUMERS_BY_DIGEST : CONSUMERS_BY_URI, digest.orElse(uri)));
    }

    /** The artifacts one task produced, in the order recorded. */
    public List<ArtifactRecord> artifacts(String runId, String taskId) {
        return read("read the artifacts of " + taskId,
                c -> queryArtifacts(c, "WHERE a.run_id = ? AND a.task_id = ? ORDER BY a.rowid", runId, taskId));
    }

    /** The artifacts one task consumed, in the order recorded. */
    public List<LineageRecord> inputs(String runId, String taskId) {
        return read("read the inputs of " + taskId,
                c -> queryLineage(c, "WHERE a.run_id = ? AND a.task_id = ? ORDER BY a.rowid", runId, taskId));
    }

    /** The events of one task of a run, oldest first. */
    public List<EventRecord> taskEvents(String runId, String taskId) {
        return read("read the events of " + taskId,
                c -> queryEvents(c, "WHERE run_id = ? AND task_id = ? ORDER BY seq", runId, taskId));
    }

    /** Records (or replaces) one metric value. */
    public void recordMetric(MetricRecord metric) {
        write("record metric " + metric.name() + " of " + metric.taskId(), c -> {
            insertMetric(c, metric);
            return null;
        });
    }

    public List<MetricRecord> metrics(String runId) {
        return read("read the metrics of " + runId, c -> {
            {
                PreparedStatement ps = prepared(
                        "SELECT run_id, task_id, name, value FROM metrics WHERE run_id = ? ORDER BY rowid");
                ps.setString(1, runId);
                List<MetricRecord> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Object value = rs.getObject(4);
                        out.add(new MetricRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                                value == null ? Double.NaN : ((Number) value).doubleValue()));
                    }
                }
                return out;
            }
        });
    }

    // ---- cache ---------------------------------------------------------------------------------

    /**
     * The latest {@code Succeeded} task recorded under {@code cacheKey} whose output artifacts are
     * all still in the artifact store (a remote artifact, without a digest, never qualifies).
     */
    public Optional<CachedResult> findCached(String cacheKey) {
        return read("look up the cache", c -> {
            List<TaskRecord> candidates = queryTasks(c, CACHE_LOOKUP, cacheKey, CACHE_CANDIDATES);
            for (TaskRecord task : candidates) {
                List<ArtifactRecord> outputs = queryArtifacts(c, "WHERE a.run_id = ? AND a.task_id = ? ORDER BY a.rowid",
                        task.runId(), task.taskId());
                boolean present = outputs.stream()
                        .allMatch(a -> a.storedIn(artifacts));
                if (present) {
                    return Optional.of(new CachedResult(task, outputs));
                }
            }
            return Optional.empty();
        });
    }

    /**
     * How SQLite runs the cache lookup (the details of {@code EXPLAIN QUERY PLAN}, one per line): a
     * test checks that it reads the index in its order, whatever the number of rows under a key.
     */
    String cacheLookupPlan() {
        return plan("SELECT * FROM tasks " + CACHE_LOOKUP, "sha256:0", CACHE_CANDIDATES);
    }

    /** How SQLite runs {@code sql} with {@code args} (the details of {@code EXPLAIN QUERY PLAN}, one per line). */
    String plan(String sql, Object... args) {
        return read("explain a query", c -> {
            try (PreparedStatement ps = c.prepareStatement("EXPLAIN QUERY PLAN " + sql)) {
                bind(ps, args);
                StringBuilder plan = new StringBuilder();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        plan.append(rs.getString("detail")).append('\n');
                    }
                }
                return plan.toString();
            }
        });
    }

    /** The value of a pragma on this store's connection (to check the configuration). */
    String pragma(String name) {
        if (!name.matches("[a-z_]+")) {
            throw new IllegalArgumentException("not a pragma name: " + name);
        }
        return read("read pragma " + name, c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA " + name)) {
                return rs.next() ? rs.getString(1) : "";
            }
        });
    }

    // ---- health --------------------------------------------------------------------------------

    /** The result of {@code PRAGMA integrity_check}: {@code ok}, or one problem per line. */
    public String integrityCheck() {
        return read("check integrity", c -> {
            List<String> lines = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
                while (rs.next()) {
                    lines.add(rs.getString(1));
                }
            }
            return String.join("\n", lines);
        });
    }

    /**
     * Gives back to the file system the pages that deleted rows left free in {@code runs.db} (SQLite
     * otherwise keeps them for its next rows): {@code VACUUM}, then a {@code TRUNCATE} checkpoint, which
     * empties the write-ahead log the copy went through. The copy is one transaction, so a kill leaves
     * the old database or the new one; other processes read meanwhile, and writers wait for it (busy
     * timeout, then retries). Returns the bytes the database and its log shrank by.
     */
    public synchronized long vacuum() {
        if (closed) {
            throw new IllegalStateException("the run store is closed");
        }
        long before = databaseBytes();
        for (String sql : List.of("VACUUM", "PRAGMA wal_checkpoint(TRUNCATE)")) {
            retrying(sql, () -> {
                try (Statement s = connection.createStatement()) {
                    s.execute(sql);
                }
                return null;
            });
        }
        return Math.max(0, before - databaseBytes());
    }

    /** The space the free pages of {@code runs.db} take, which {@link #vacuum} would give back (at least). */
    public long freeBytes() {
        return read("count the free pages", c -> {
            try (Statement s = c.createStatement();
                 ResultSet pages = s.executeQuery("PRAGMA freelist_count")) {
                long free = pages.next() ? pages.getLong(1) : 0;
                try (ResultSet size = s.executeQuery("PRAGMA page_size")) {
                    return free * (size.next() ? size.getLong(1) : 0);
                }
            }
        });
    }

    /** The size of {@code runs.db} and its write-ahead log. */
    private long databaseBytes() {
        long bytes = 0;
        for (Path p : List.of(database, database.resolveSibling(database.getFileName() + "-wal"))) {
            try {
                bytes += Files.size(p);
            } catch (IOException gone) {
                // no log: nothing written since the last checkpoint that removed it
            }
        }
        return bytes;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        artifacts.release();
        try {
            forgetStatements();
            connection.close();
        } catch (SQLException e) {
            throw new StoreException("cannot close the run store " + database + ": " + e.getMessage(), e);
        }
    }

    // ---- rows --------------------------------------------------------------------------------

    private void upsertTask(Connection c, TaskRecord t) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                INSERT INTO tasks (run_id, task_id, name, component, state, attempts, cache_key, exit_code, outputs,
                                   started_at, finished_at, message, items)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, task_id) DO UPDATE SET
                  name = excluded.name, component = excluded.component, state = excluded.state,
                  attempts = max(tasks.attempts, excluded.attempts), cache_key = excluded.cache_key,
                  exit_code = excluded.exit_code, outputs = excluded.outputs, started_at = excluded.started_at,
                  finished_at = excluded.finished_at, message = excluded.message, items = excluded.items""");
            ps.setString(1, t.runId());
            ps.setString(2, t.taskId());
            ps.setString(3, t.name());
            ps.setString(4, t.component());
            ps.setString(5, t.state().name());
            ps.setInt(6, t.attempts());
            ps.setString(7, t.cacheKey().orElse(null));
            setInt(ps, 8, t.exitCode());
            ps.setString(9, t.outputsJson());
            ps.setString(10, t.startedAt().map(RunStore::formatTime).orElse(null));
            ps.setString(11, t.finishedAt().map(RunStore::formatTime).orElse(null));
            ps.setString(12, t.message().orElse(null));
            ps.setString(13, LoopItem.column(t.items()));
            ps.executeUpdate();
        }
    }

    private void insertArtifact(Connection c, ArtifactRecord a) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                INSERT INTO artifacts (run_id, task_id, output_name, digest, size, type, uri)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (run_id, task_id, output_name) DO UPDATE SET
                  digest = excluded.digest, size = excluded.size, type = excluded.type, uri = excluded.uri""");
            ps.setString(1, a.runId());
            ps.setString(2, a.taskId());
            ps.setString(3, a.outputName());
            ps.setString(4, a.digest().orElse(null));
            setLong(ps, 5, a.size());
            ps.setString(6, a.type());
            ps.setString(7, a.uri());
            ps.executeUpdate();
        }
    }

    private void insertMetric(Connection c, MetricRecord m) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                INSERT INTO metrics (run_id, task_id, name, value) VALUES (?, ?, ?, ?)
                ON CONFLICT (run_id, task_id, name) DO UPDATE SET value = excluded.value""");
            ps.setString(1, m.runId());
            ps.setString(2, m.taskId());
            ps.setString(3, m.name());
            if (Double.isNaN(m.value())) {
                ps.setNull(4, Types.REAL);
            } else {
                ps.setDouble(4, m.value());
            }
            ps.executeUpdate();
        }
    }

    private List<RunRecord> queryRuns(Connection c, String where, Object... args) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                SELECT id, pipeline, version, source_path, source_digest, git_commit, params, backend,
                       remote_namespace, remote_name, status, started_at, finished_at, message
                FROM runs\s""" + where);
            bind(ps, args);
            List<RunRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String namespace = rs.getString(9);
                    String name = rs.getString(10);
                    Optional<RemoteRef> remote = namespace == null ? Optional.empty()
                            : Optional.of(new RemoteRef(namespace, name));
                    out.add(new RunRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), Optional.ofNullable(rs.getString(6)), rs.getString(7),
                            Backend.fromWireName(rs.getString(8)), remote, RunStatus.valueOf(rs.getString(11)),
                            parseTime(rs.getString(12)), optionalTime(rs.getString(13)),
                            Optional.ofNullable(rs.getString(14))));
                }
            }
            return out;
        }
    }

    private List<TaskRecord> queryTasks(Connection c, String where, Object... args) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                SELECT run_id, task_id, name, component, state, attempts, cache_key, exit_code, outputs,
                       started_at, finished_at, message, items
                FROM tasks\s""" + where);
            bind(ps, args);
            List<TaskRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new TaskRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            TaskState.valueOf(rs.getString(5)), rs.getInt(6), Optional.ofNullable(rs.getString(7)),
                            optionalInt(rs, 8), rs.getString(9), optionalTime(rs.getString(10)),
                            optionalTime(rs.getString(11)), Optional.ofNullable(rs.getString(12)),
                            LoopItem.fromColumn(rs.getString(13))));
                }
            }
            return out;
        }
    }

    private List<AttemptRecord> queryAttempts(Connection c, String where, Object... args) throws SQLException {
        {
            PreparedStatement ps = prepared("""
                SELECT run_id, task_id, number, pid, process_started_at, started_at, finished_at, exit_code, log_path
                FROM attempts\s""" + where);
            bind(ps, args);
            List<AttemptRecord> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String processStart = rs.getString(5);
                    Optional<OsProcess> process = optionalLong(rs, 4)
                            .map(pid -> new OsProcess(pid, parseTime(processStart)));
                    out.add(new AttemptRecord(rs.getString(1), rs.getString(2), rs.getInt(3), process,
                            parseTime(rs.getString(6)), optionalTime(rs.getString(7)), optionalInt(rs, 8),
                            Optional.ofNullable(rs.getString(9))));
                }
            }
            return out;
        }
    }

    private List<ArtifactRecord> queryArtifacts(Connection c, String where, Object... args) throws SQLException {
        return query("SELECT a.run_id, a.task_id, a.output_name, a.digest, a.size, a.type, a.uri FROM artifacts a " + where,
                args, rs -> new ArtifactRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        Optional.ofNullable(rs.getString(4)), optionalLong(rs, 5), rs.getString(6), rs.getString(7)));
    }

    private List<EventRecord> queryEvents(Connection c, String where, Object... args) throws SQLException {
        return query("SELECT seq, run_id, task_id, at, kind, message FROM events " + where, args,
                rs -> new EventRecord(rs.getLong(1), rs.getString(2), Optional.ofNullable(rs.getString(3)),
                        parseTime(rs.getString(4)), rs.getString(5), rs.getString(6)));
    }

    private List<LineageRecord> queryLineage(Connection c, String where, Object... args) throws SQLException {
        return query("SELECT a.run_id, a.task_id, a.input_name, a.digest, a.uri FROM lineage a " + where, args,
                rs -> new LineageRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        Optional.ofNullable(rs.getString(4)), rs.getString(5)));
    }

    /** One value per row of a query. */
    @FunctionalInterface
    private interface Row<T> {
        T of(ResultSet rs) throws SQLException;
    }

    /** The rows of {@code sql} with {@code args}, each read by {@code row}. */
    private <T> List<T> query(String sql, Object[] args, Row<T> row) throws SQLException {
        PreparedStatement ps = prepared(sql);
        bind(ps, args);
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(row.of(rs));
            }
        }
        return out;
    }

    /** After a failed transaction: its statements may be mid-step; the retry prepares fresh ones. */
    private void forgetStatements() {
        for (PreparedStatement ps : statements.values()) {
            try {
                ps.close();
            } catch (SQLException e) {
                // closing is all that is left to do with it
            }
        }
        statements.clear();
    }

    /** The prepared statement of {@code sql} on this store's connection (the caller holds the store's lock). */
    private PreparedStatement prepared(String sql) throws SQLException {
        PreparedStatement ps = statements.get(sql);
        if (ps == null) {
            ps = connection.prepareStatement(sql);
            statements.put(sql, ps);
        }
        return ps;
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    private static void setInt(PreparedStatement ps, int index, Optional<Integer> value) throws SQLException {
        if (value.isPresent()) {
            ps.setInt(index, value.get());
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }

    private static void setLong(PreparedStatement ps, int index, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            ps.setLong(index, value.get());
        } else {
            ps.setNull(index, Types.INTEGER);
        }
    }

    // getObject rather than wasNull: sqlite-jdbc's wasNull is unreliable after getDouble
    private static Optional<Integer> optionalInt(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable((Number) rs.getObject(column)).map(Number::intValue);
    }

    private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
        return Optional.ofNullable((Number) rs.getObject(column)).map(Number::longValue);
    }

    private static void requireOne(int updated, String missing) {
        if (updated != 1) {
            throw new IllegalArgumentException(missing);
        }
    }

    private static void requireSameTask(TaskRecord task, String runId, String taskId, String what) {
        if (!task.runId().equals(runId) || !task.taskId().equals(taskId)) {
            throw new IllegalArgumentException(what + " belongs to " + runId + "/" + taskId + ", not to "
                    + task.runId() + "/" + task.taskId());
        }
    }

    // ---- time --------------------------------------------------------------------------------

    /** Fixed-width UTC text with milliseconds: readable in {@code sqlite3} and sortable as text. */
    static String formatTime(Instant at) {
        return TIME.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    static Instant parseTime(String text) {
        return Instant.parse(text);
    }

    private static Optional<Instant> optionalTime(String text) {
        return Optional.ofNullable(text).map(RunStore::parseTime);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    // ---- transactions ----------------------------------------------------------------------

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Step<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code work}, calls of this store's methods, as one transaction: all of its writes land or
     * none does. The engine records each change of a task this way (its row, attempts, events and
     * lineage): one commit instead of one per row. {@code work} may run again when the database was
     * busy, so it must only call the store.
     */
    public synchronized void atomically(String what, Runnable work) {
        if (batchDepth > 0) {
            work.run();
            return;
        }
        transaction("BEGIN IMMEDIATE", what, c -> {
            batchDepth++;
            try {
                work.run();
            } catch (InBatch e) {
                throw e.cause;
            } finally {
                batchDepth--;
            }
            return null;
        });
    }

    /** How a failed statement inside {@link #atomically} reaches the transaction that retries or rolls back. */
    private static final class InBatch extends RuntimeException {
        private final SQLException cause;

        InBatch(SQLException cause) {
            super(cause);
            this.cause = cause;
        }
    }

    private synchronized <T> T write(String what, Work<T> work) {
        if (batchDepth > 0) {
            return inBatch(work);
        }
        return transaction("BEGIN IMMEDIATE", what, work);
    }

    private synchronized <T> T read(String what, Work<T> work) {
        if (batchDepth > 0) {
            return inBatch(work);
        }
        return transaction("BEGIN DEFERRED", what, work);
    }

    private <T> T inBatch(Work<T> work) {
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw new InBatch(e);
        }
    }

    private <T> T transaction(String begin, String what, Work<T> work) {
        if (closed) {
            throw new IllegalStateException("the run store is closed");
        }
        return retrying(what, () -> {
            // executeUpdate resets the statement even when it fails (busy), ready for the retry
            prepared(begin).executeUpdate();
            try {
                T result = work.run(connection);
                prepared("COMMIT").executeUpdate();
                return result;
            } catch (SQLException | RuntimeException | Error e) {
                rollbackQuietly();
                forgetStatements();
                throw e;
            }
        });
    }

    /** Runs {@code step}, retrying with jittered backoff while SQLite answers busy or locked. */
    private <T> T retrying(String what, Step<T> step) {
        long deadline = System.nanoTime() + RETRY_NANOS;
        long pause = 2;
        while (true) {
            try {
                return step.run();
            } catch (SQLException e) {
                int code = e.getErrorCode() & 0xff;
                if ((code == SQLITE_BUSY || code == SQLITE_LOCKED) && System.nanoTime() < deadline) {
                    sleep(pause + ThreadLocalRandom.current().nextLong(pause + 1));
                    pause = Math.min(pause * 2, 250);
                    continue;
                }
                if (code == SQLITE_CORRUPT) {
                    throw new StoreException("the run store " + database
                            + " is damaged (SQLite finds the database disk image malformed); Freestone left it as it is", "keep a copy of it, then `sqlite3 " + database
                            + " .recover | sqlite3 recovered.db` salvages what it can; or set FREESTONE_HOME to another"
                            + " directory", e);
                }
                if (code == SQLITE_NOTADB) {
                    throw new StoreException(database + " is not a SQLite database, so not a Freestone run store", e);
                }
                throw new StoreException("run store " + database + ": cannot " + what + ": " + e.getMessage(), e);
            }
        }
    }

    private void rollbackQuietly() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction was active (BEGIN failed) or SQLite already rolled it back
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for the run store lock", e);
        }
    }
}
