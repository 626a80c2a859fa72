package dev.freestone.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code shm = 8Gi}: a step's {@code /dev/shm} on Argo, a memory-backed emptyDir mounted there; a local run
 * uses the host's as it is, so the same file runs here unchanged.
 */
class ShmE2ETest {
    static final String PIPE = """
            component load(n: Int) -> (out: Int) {
              image   = "pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime"
              command = ["sh", "-c", "printf %s \\"$0\\" > \\"$1\\"", n, out]
              shm     = 8Gi
            }
            pipeline loader(n: Int = 4) -> (out: Int) {
              s = load(n = n) with { shm = 16Gi }
              output out = s.out
            }
            """;

    @TempDir
    Path tmp;

    @Test
    void aStepWithShmRunsLocallyAndMountsAMemoryVolumeOnArgo() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "loader.pipe", PIPE).toString();
        Freestone.Result run = fs.cli("run", "--progress", "none", pipe).expect(0);
        assertTrue(run.out().contains("output out = 4"), run::all);

        Freestone.Result yaml = fs.cli("compile", pipe).expect(0);
        assertTrue(yaml.out().contains("""
                    volumes:
                    - name: fs-outputs
                      emptyDir: {}
                    - name: fs-shm
                      emptyDir:
                        medium: Memory
                        sizeLimit: 16Gi
                """), yaml::all);
        assertTrue(yaml.out().contains("""
                      - name: fs-shm
                        mountPath: /dev/shm
                """), yaml::all);
    }

    @Test
    void aShmOfZeroIsADiagnosticWithItsPlace() throws Exception {
        Freestone fs = new Freestone(tmp.resolve("home"));
        String pipe = Freestone.pipe(tmp, "loader.pipe", PIPE.replace("shm     = 8Gi", "shm     = 0Mi")).toString();
        Freestone.Result r = fs.cli("run", "--progress", "none", pipe).expect(1);
        assertTrue(r.err().contains("error[E0501]: invalid shm size `0Mi`"), r::all);
        assertTrue(r.err().contains("loader.pipe:4:13"), r::all);
        assertTrue(r.err().contains("= help: the size of the step's `/dev/shm`, more than zero"), r::all);
        assertEquals("", r.out());
        Freestone.assertNoTrace(r.all());
    }
}
