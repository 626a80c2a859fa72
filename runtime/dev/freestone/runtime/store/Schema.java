package dev.freestone.runtime.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

/**
 * The run store's schema as an ordered list of migrations. The database records every applied
 * migration in {@code schema_version}; opening a store applies the missing ones, all in one
 * transaction, so a store is always exactly at one version. Never edit a released migration: add
 * the next one (SQLite cannot alter a CHECK constraint, so a new state or status means a new
 * migration that rebuilds the table).
 */
final class Schema {

    /** One step of the schema; {@code statements} run in order inside the migrating transaction. */
    record Migration(int version, String description, List<String> statements) {
        Migration {
            statements = List.copyOf(statements);
        }
    }

    private static final String TASK_STATES = "'Pending','Running','Succeeded','Failed','Skipped','Cached','Cancelled'";
    private static final String RUN_STATUSES = "'Pending','Running','Succeeded','Failed','Cancelled'";
    private static final String DIGEST_CHECK = "(length(%1$s) = 64 AND %1$s NOT GLOB '*[^0-9a-f]*')";

    static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "runs, tasks, attempts, events", List.of(
                    """
                    CREATE TABLE runs (
                      id               TEXT PRIMARY KEY,
                      pipeline         TEXT NOT NULL,
                      version          TEXT NOT NULL,
                      source_path      TEXT NOT NULL,
                      source_digest    TEXT NOT NULL,
                      git_commit       TEXT,
                      params           TEXT NOT NULL CHECK (json_valid(params)),
                      backend          TEXT NOT NULL CHECK (backend IN ('local', 'argo')),
                      remote_namespace TEXT,
                      remote_name      TEXT,
                      status           TEXT NOT NULL CHECK (status IN (%s)),
                      started_at       TEXT NOT NULL,
                      finished_at      TEXT,
                      message          TEXT,
                      CHECK ((remote_namespace IS NULL) = (remote_name IS NULL))
                    )""".formatted(RUN_STATUSES),
                    "CREATE INDEX runs_by_pipeline ON runs (pipeline, started_at)",
                    "CREATE INDEX runs_by_start ON runs (started_at)",
                    """
                    CREATE TABLE tasks (
                      run_id      TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                      task_id     TEXT NOT NULL,
                      name        TEXT NOT NULL,
                      component   TEXT NOT NULL,
                      state       TEXT NOT NULL CHECK (state IN (%s)),
                      attempts    INTEGER NOT NULL CHECK (attempts >= 0),
                      cache_key   TEXT,
                      exit_code   INTEGER,
                      outputs     TEXT NOT NULL CHECK (json_valid(outputs)),
                      started_at  TEXT,
                      finished_at TEXT,
                      message     TEXT,
                      PRIMARY KEY (run_id, task_id)
                    )""".formatted(TASK_STATES),
                    """
                    CREATE TABLE attempts (
                      run_id             TEXT NOT NULL,
                      task_id            TEXT NOT NULL,
                      number             INTEGER NOT NULL CHECK (number >= 1),
                      pid                INTEGER,
                      process_started_at TEXT,
                      started_at         TEXT NOT NULL,
                      finished_at        TEXT,
                      exit_code          INTEGER,
                      log_path           TEXT,
                      PRIMARY KEY (run_id, task_id, number),
                      FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id) ON DELETE CASCADE,
                      CHECK ((pid IS NULL) = (process_started_at IS NULL))
                    )""",
                    """
                    CREATE TABLE events (
                      seq     INTEGER PRIMARY KEY AUTOINCREMENT,
                      run_id  TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                      task_id TEXT,
                      at      TEXT NOT NULL,
                      kind    TEXT NOT NULL,
                      message TEXT NOT NULL,
                      FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id) ON DELETE CASCADE
                    )""",
                    "CREATE INDEX events_by_run ON events (run_id, seq)")),
            new Migration(2, "artifacts, lineage, metrics, cache lookup", List.of(
                    """
                    CREATE TABLE artifacts (
                      run_id      TEXT NOT NULL,
                      task_id     TEXT NOT NULL,
                      output_name TEXT NOT NULL,
                      digest      TEXT CHECK (digest IS NULL OR %s),
                      size        INTEGER CHECK (size IS NULL OR size >= 0),
                      type        TEXT NOT NULL,
                      uri         TEXT NOT NULL,
                      PRIMARY KEY (run_id, task_id, output_name),
                      FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id) ON DELETE CASCADE
                    )""".formatted(DIGEST_CHECK.formatted("digest")),
                    "CREATE INDEX artifacts_by_digest ON artifacts (digest) WHERE digest IS NOT NULL",
                    """
                    CREATE TABLE lineage (
                      run_id     TEXT NOT NULL,
                      task_id    TEXT NOT NULL,
                      input_name TEXT NOT NULL,
                      digest     TEXT CHECK (digest IS NULL OR %s),
                      uri        TEXT NOT NULL,
                      PRIMARY KEY (run_id, task_id, input_name, uri),
                      FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id) ON DELETE CASCADE
                    )""".formatted(DIGEST_CHECK.formatted("digest")),
                    "CREATE INDEX lineage_by_digest ON lineage (digest) WHERE digest IS NOT NULL",
                    // value NULL stands for NaN: SQLite turns a bound NaN into NULL anyway
                    """
                    CREATE TABLE metrics (
                      run_id  TEXT NOT NULL,
                      task_id TEXT NOT NULL,
                      name    TEXT NOT NULL,
                      value   REAL,
                      PRIMARY KEY (run_id, task_id, name),
                      FOREIGN KEY (run_id, task_id) REFERENCES tasks (run_id, task_id) ON DELETE CASCADE
                    )""",
                    "CREATE INDEX tasks_by_cache_key ON tasks (cache_key, finished_at) WHERE cache_key IS NOT NULL")),
            // every run of a pipeline adds a row per task under the same key: the lookup (key, Succeeded,
            // newest first) read them all and sorted them, 1 ms per step with a few thousand rows; the
            // index now answers it in its own order and stops at the limit
            new Migration(3, "cache lookup in index order", List.of(
                    "DROP INDEX tasks_by_cache_key",
                    "CREATE INDEX tasks_by_cache_key ON tasks (cache_key, state, finished_at, run_id)"
                            + " WHERE cache_key IS NOT NULL")),
            // the pipeline's `output`s, as `run` prints them, for `show` (they were printed and lost)
            new Migration(4, "the outputs of a run", List.of(
                    "ALTER TABLE runs ADD COLUMN outputs TEXT CHECK (outputs IS NULL OR json_valid(outputs))")),
            // which item each loop iteration ran with, `lr` = 0.03 at fit[2] (only its index was kept): NULL for a
            // task that is no iteration, and for every task recorded before
            new Migration(5, "the loop items of a task", List.of(
                    "ALTER TABLE tasks ADD COLUMN items TEXT CHECK (items IS NULL OR json_valid(items))")),
            // `lineage` follows an artifact through the runs: by digest (version 2's indexes), and a remote artifact,
            // which has none, by its location; without these, each step of the walk read every remote row
            new Migration(6, "remote artifacts and inputs by location", List.of(
                    "CREATE INDEX artifacts_by_uri ON artifacts (uri) WHERE digest IS NULL",
                    "CREATE INDEX lineage_by_uri ON lineage (uri) WHERE digest IS NULL")),
            new Migration(7, "the labels of a run", List.of(
                    """
                    CREATE TABLE run_labels (
                      run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
                      key    TEXT NOT NULL,
                      value  TEXT NOT NULL,
                      PRIMARY KEY (run_id, key)
                    )""",
                    "CREATE INDEX run_labels_by_label ON run_labels (key, value)")));

    static int latestVersion() {
        return MIGRATIONS.get(MIGRATIONS.size() - 1).version();
    }

    private Schema() {
    }

    /** The highest applied version, 0 for an empty database. Runs inside the caller's transaction. */
    static int currentVersion(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(
                        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT coalesce(max(version), 0) FROM schema_version")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /**
     * Applies the migrations of {@code migrations} newer than the database, inside the caller's
     * (write) transaction. Returns the resulting version.
     */
    static int migrate(Connection c, List<Migration> migrations, Instant now) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("""
                    CREATE TABLE IF NOT EXISTS schema_version (
                      version     INTEGER PRIMARY KEY,
                      description TEXT NOT NULL,
                      applied_at  TEXT NOT NULL
                    )""");
        }
        int current = currentVersion(c);
        int version = current;
        for (Migration m : migrations) {
            if (m.version() <= current) {
                continue;
            }
            if (m.version() != version + 1) {
                throw new IllegalStateException("migrations out of order at version " + m.version());
            }
            try (Statement s = c.createStatement()) {
                for (String sql : m.statements()) {
                    s.execute(sql);
                }
            }
            try (var insert = c.prepareStatement(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)")) {
                insert.setInt(1, m.version());
                insert.setString(2, m.description());
                insert.setString(3, RunStore.formatTime(now));
                insert.executeUpdate();
            }
            version = m.version();
        }
        return version;
    }
}
