package dev.freestone.runtime.local;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The shell that signals step process groups: it reaches every process of a group, and says when it is gone. */
class GroupSignallerTest {
    private static final Optional<Path> SETSID = ProcessTree.onPath("setsid", System.getenv("PATH"));
    private static final Optional<Path> SH = ProcessTree.onPath("sh", System.getenv("PATH"));

    @Test
    void killsEveryProcessOfTheGroupIncludingOnesWhoseParentExited() throws Exception {
        assumeTrue(SETSID.isPresent() && SH.isPresent(), "needs setsid and sh on the PATH");
        // the leader starts two sleepers, one of them detached from it (its parent exits at once)
        Process leader = new ProcessBuilder(SETSID.get().toString(), SH.get().toString(), "-c",
                "sleep 60 & (sleep 60 &) ; wait").start();
        long pgid = leader.pid();
        List<ProcessHandle> members = awaitMembers(pgid, 2);
        GroupSignaller signaller = GroupSignaller.shared(SETSID, SH).orElseThrow();
        assertTrue(signaller.signal(pgid, "KILL"));
        assertTrue(leader.waitFor(5, TimeUnit.SECONDS), "the leader was killed");
        for (ProcessHandle p : members) {
            assertTrue(gone(p), "process " + p.pid() + " of the group was killed");
        }
    }

    @Test
    void aDeadShellIsReportedAndReplaced() throws Exception {
        assumeTrue(SETSID.isPresent() && SH.isPresent(), "needs setsid and sh on the PATH");
        GroupSignaller first = GroupSignaller.shared(SETSID, SH).orElseThrow();
        first.process().destroyForcibly().waitFor();
        Process target = new ProcessBuilder(SETSID.get().toString(), "sleep", "60").start();
        assertFalse(first.signal(target.pid(), "KILL"), "a dead shell cannot signal");
        GroupSignaller second = GroupSignaller.shared(SETSID, SH).orElseThrow();
        assertTrue(second != first && second.signal(target.pid(), "KILL"));
        assertTrue(target.waitFor(5, TimeUnit.SECONDS));
    }

    @Test
    void refusesSignalsAndGroupsItIsNotFor() {
        assumeTrue(SETSID.isPresent() && SH.isPresent(), "needs setsid and sh on the PATH");
        GroupSignaller s = GroupSignaller.shared(SETSID, SH).orElseThrow();
        assertThrows(IllegalArgumentException.class, () -> s.signal(1, "KILL"));
        assertThrows(IllegalArgumentException.class, () -> s.signal(12345, "KILL; rm -rf /"));
    }

    private static List<ProcessHandle> awaitMembers(long pgid, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> members = ProcessHandle.allProcesses()
                    .filter(p -> p.info().command().map(c -> c.endsWith("sleep")).orElse(false))
                    .filter(p -> pgidOf(p) == pgid)
                    .toList();
            if (members.size() >= count) {
                return members;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the group never had " + count + " sleepers");
    }

    private static long pgidOf(ProcessHandle p) {
        try {
            String stat = java.nio.file.Files.readString(Path.of("/proc", Long.toString(p.pid()), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[2]);
        } catch (java.io.IOException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean gone(ProcessHandle p) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            if (!ProcessTree.alive(p)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }
}
