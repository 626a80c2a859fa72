package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.runtime.store.Backend;
import dev.freestone.runtime.store.NewRun;
import dev.freestone.runtime.store.RemoteRef;
import dev.freestone.runtime.store.RunStatus;
import dev.freestone.runtime.store.RunStore;
import dev.freestone.testing.CliRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code freestone runs -n NS}: {@code -n} is the namespace, as in every cluster command and in
 * {@code argo list -n ml} (it was {@code --limit}, and an Argo user's {@code runs -n ml} got "'ml' is
 * not an int"); a count after {@code -n} says to write {@code --limit}.
 */
class RunsCommandTest {
    @TempDir
    Path dir;

    private Map<String, String> env;

    private String failedLocal;
    private String failedInMl;

    @BeforeEach
    void store() {
        env = Map.of("FREESTONE_HOME", dir.toString());
        try (RunStore store = RunStore.open(dir)) {
            failedLocal = store.createRun(NewRun.local("train", "a".repeat(64), "train.pipe", "b".repeat(64), Optional.empty(), "{}")).id();
            store.updateRunStatus(failedLocal, RunStatus.Failed, Optional.of("task `fit` failed"));
            for (String ns : new String[] {"ml", "ml", "prod"}) {
                String id = store.createRun(new NewRun("train", "a".repeat(64), "train.pipe", "b".repeat(64), Optional.empty(), "{}",
                        Backend.Argo, Optional.of(new RemoteRef(ns, "train-" + ns)))).id();
                if (failedInMl == null) {
                    failedInMl = id;
                    store.updateRunStatus(id, RunStatus.Failed, Optional.of("task `fit` failed"));
                } else {
                    store.updateRunStatus(id, RunStatus.Succeeded, Optional.empty());
                }
            }
        }
    }

    @Test
    void statusSelectsRunsLikeArgoList() {
        CliRun failed = CliRun.of(env, "runs", "--status", "failed");
        assertEquals(0, failed.code(), failed.err());
        assertEquals(2, rows(failed), failed.out());
        assertTrue(failed.out().contains(failedLocal) && failed.out().contains(failedInMl), failed.out());

        assertEquals(1, rows(CliRun.of(env, "runs", "--status", "Failed", "-n", "ml")));
        assertEquals(4, rows(CliRun.of(env, "runs", "--status", "Failed,Succeeded")));
        assertEquals(1, rows(CliRun.of(env, "runs", "--status", "Failed", "--limit", "1")));

        CliRun none = CliRun.of(env, "runs", "--status", "Cancelled", "-n", "prod");
        assertEquals(0, none.code(), none.err());
        assertTrue(none.out().contains("no runs in namespace `prod` with status Cancelled"), none.out());

        CliRun typo = CliRun.of(env, "runs", "--status", "Faild");
        assertEquals(Main.USAGE, typo.code(), typo.out() + typo.err());
        assertTrue(typo.err().contains("`Faild` is not a run status"), typo.err());
        assertTrue(typo.err().contains("did you mean `Failed`?"), typo.err());
    }

    private static long rows(CliRun r) {
        return r.out().lines().filter(l -> l.startsWith("run-")).count();
    }

    @Test
    void dashNIsTheNamespace() {
        CliRun ml = CliRun.of(env, "runs", "-n", "ml");
        assertEquals(0, ml.code(), ml.err());
        assertEquals(2, rows(ml), ml.out());
        assertTrue(ml.out().lines().filter(l -> l.startsWith("run-")).allMatch(l -> l.contains(" argo ")), ml.out());
        assertEquals(1, rows(CliRun.of(env, "runs", "--namespace", "ml", "--limit", "1")));
        assertEquals(4, rows(CliRun.of(env, "runs")));

        CliRun typo = CliRun.of(env, "runs", "-n", "mll");
        assertEquals(0, typo.code(), typo.err());
        assertTrue(typo.out().contains("no Argo runs in namespace `mll`"), typo.out());
        assertTrue(typo.out().contains("did you mean `ml`?"), typo.out());
    }

    @Test
    void aCountAfterDashNSaysToWriteLimit() {
        CliRun r = CliRun.of(env, "runs", "-n", "10");
        assertEquals(Main.USAGE, r.code(), r.out() + r.err());
        assertTrue(r.err().contains("`-n` is the namespace"), r.err());
        assertTrue(r.err().contains("write `--limit 10`"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(0, CliRun.of(env, "runs", "--namespace", "10").code(), "a namespace of digits, written out");
        assertEquals(2, rows(CliRun.of(env, "runs", "--limit", "2")));
    }
}
