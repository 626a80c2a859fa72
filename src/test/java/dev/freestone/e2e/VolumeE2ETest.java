package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code Volume} input (KFP's {@code mount_pvc}): locally the steps that name a claim share a host folder,
 * {@code $FREESTONE_HOME/volumes/<claim>/} or the one {@code --volume claim=DIR} gives, across steps, runs and a
 * resume (which says a recorded folder that is gone); such a step is never served from the cache. On Argo the claim is mounted (see golden/compile/volumes).
 */
class VolumeE2ETest {
    static final String PIPE = """
            component write(data: Volume, text: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "printf %s \\"$1\\" > \\"$0/note.txt\\"", data, text]
            }
            component read(data: Volume) -> (note: String) {
              image   = "alpine:3.20"
              command = ["sh", "-c", "GATE && cat \\"$0/note.txt\\" > \\"$1\\"", data, note]
            }
            pipeline shared(text: String = "hello", data: Volume = pvc("shared-data")) -> (note: String) {
              w = write(data = data, text = text)
              r = read(data = pvc("shared-data", read_only = true)) after w
              output note = r.note
            }
            """;

    @TempDir
    Path tmp;

    private String pipe(String gate) throws Exception {
        return Freestone.pipe(tmp, "shared.pipe", PIPE.replace("GATE", gate)).toString();
    }

    @Test
    void aStepWritesIntoTheClaimAndALaterStepReadsItEveryRun() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = pipe("true");
        Freestone.Result run = fs.cli("run", "--progress", "none", pipe).expect(0);
        assertTrue(run.out().contains("output note = hello"), run::all);
        assertEquals("hello", Files.readString(fs.home().resolve("volumes/shared-data/note.txt")));

        // the claim's files are state the cache key cannot see: the same run again executes both steps
        Freestone.Result again = fs.cli("run", "--progress", "none", "--explain-cache", pipe, "--param", "text=again").expect(0);
        assertTrue(again.out().contains("output note = again"), again::all);
        for (String step : new String[] {"w", "r"}) {
            assertTrue(again.out().contains("cache " + step + ": disabled - the step mounts volume `shared-data` (input `data`),"
                    + " whose files the cache key cannot see: it always runs"), again::all);
        }
    }

    @Test
    void volumeGivesTheClaimAFolderOfTheUsersAndAParameterChoosesTheClaim() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = pipe("true");
        Path dir = Files.createDirectories(tmp.resolve("data"));
        // relative to the working directory, as the user typed it
        String relative = Path.of("").toAbsolutePath().relativize(dir).toString();
        Freestone.Result run = fs.cli("run", "--progress", "none", "--volume", "shared-data=" + relative, pipe).expect(0);
        assertTrue(run.out().contains("output note = hello"), run::all);
        assertEquals("hello", Files.readString(dir.resolve("note.txt")));
        assertFalse(Files.exists(fs.home().resolve("volumes/shared-data")));

        // `write` mounts the claim the parameter names; `read` still reads `shared-data`, which has the old note
        Freestone.Result other = fs.cli("run", "--progress", "none", "--volume", "shared-data=" + dir, pipe,
                "--param", "data=other-claim", "--param", "text=elsewhere").expect(0);
        assertTrue(other.out().contains("output note = hello"), other::all);
        assertEquals("elsewhere", Files.readString(fs.home().resolve("volumes/other-claim/note.txt")));
    }

    @Test
    void aMistakeInVolumeOrInTheClaimParameterIsSaidWithoutATrace() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = pipe("true");
        Freestone.Result missing = fs.cli("run", "--progress", "none", "--volume", "shared-data=" + tmp.resolve("nope"), pipe).expect(1);
        assertTrue(missing.err().contains("error: --volume shared-data: no such folder " + tmp.resolve("nope")), missing::all);
        assertTrue(missing.err().contains("help: give an existing folder"), missing::all);
        Freestone.Result malformed = fs.cli("run", "--progress", "none", "--volume", "Shared_Data=" + tmp, pipe).expect(2);
        assertTrue(malformed.err().contains("expected CLAIM=DIR, CLAIM a PersistentVolumeClaim's name"), malformed::all);
        Freestone.Result badClaim = fs.cli("run", "--progress", "none", pipe, "--param", "data=Not A Claim").expect(1);
        assertTrue(badClaim.err().contains("error[E0603]: parameter `data` expects `Volume`: `Not A Claim` is not the name"
                + " of a PersistentVolumeClaim"), badClaim::all);
        for (Freestone.Result r : new Freestone.Result[] {missing, malformed, badClaim}) {
            assertEquals("", r.out());
            Freestone.assertNoTrace(r.all());
        }
        assertFalse(Files.exists(fs.home().resolve("volumes")), "nothing ran");
    }

    @Test
    void aResumeMountsTheFoldersOfTheRunItResumes() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Path dir = Files.createDirectories(tmp.resolve("data"));
        // `read` fails until the user puts `go` into the claim's folder
        String pipe = pipe("test -f \\\"$0/go\\\"");
        Freestone.Result failed = fs.cli("run", "--progress", "none", "--volume", "shared-data=" + dir, pipe).expect(1);
        assertEquals("hello", Files.readString(dir.resolve("note.txt")));
        Files.writeString(dir.resolve("go"), "");
        Files.writeString(dir.resolve("note.txt"), "edited");
        Freestone.Result resumed = fs.cli("resume", "--progress", "none", failed.runId()).expect(0);
        // `write` succeeded before and is not run again; `read` sees the user's folder, not one under home
        assertTrue(resumed.out().contains("output note = edited"), resumed::all);
        assertFalse(Files.exists(fs.home().resolve("volumes/shared-data")));

        // a --volume given to the resume wins over the run's
        Files.delete(dir.resolve("go"));
        Freestone.Result again = fs.cli("run", "--progress", "none", "--volume", "shared-data=" + dir, pipe).expect(1);
        // its folder moved since: said, not made again empty where it was
        Files.move(dir, tmp.resolve("data-moved"));
        Freestone.Result gone = fs.cli("resume", "--progress", "none", again.runId()).expect(1);
        assertEquals("error: run " + again.runId() + " mounted volume `shared-data` from " + dir + ", which is no longer there\n"
                + "  = help: give its new place with `freestone resume " + again.runId() + " --volume shared-data=DIR`\n",
                gone.err());
        assertFalse(Files.exists(dir), gone::all);
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve("go"), "");
        Files.writeString(other.resolve("note.txt"), "other");
        Freestone.Result moved = fs.cli("resume", "--progress", "none", "--volume", "shared-data=" + other, again.runId()).expect(0);
        assertTrue(moved.out().contains("output note = other"), moved::all);
    }

    @Test
    void compiledTheClaimIsMountedAndTheStepNotMemoized() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        Freestone.Result yaml = fs.cli("compile", pipe("true")).expect(0);
        assertTrue(yaml.out().contains("""
                    volumes:
                    - name: fs-outputs
                      emptyDir: {}
                    - name: fs-volume-0
                      persistentVolumeClaim:
                        claimName: "{{inputs.parameters.data}}"
                        readOnly: true
                """), yaml::all);
        assertTrue(yaml.out().contains("""
                      - name: fs-volume-0
                        mountPath: /tmp/freestone/volumes/data
                        readOnly: true
                """), yaml::all);
        assertFalse(yaml.out().contains("memoize"), yaml::all);
    }
}
