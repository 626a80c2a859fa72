package dev.freestone.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The order listings give a run's tasks, whatever order the store holds them in. */
class TaskOrderTest {
    @Test
    void idsSortByNameThenIterationNumberWithCallsBeforeTheirSteps() {
        List<String> expected = List.of("a", "a/x", "a/x[2]", "a[", "fit[0]", "fit[2]", "fit[10]", "fit[10][0]",
                "fit[10][3]", "fit[*]", "outer[0]/inner[1]", "outer[0]/inner[11]", "outer[1]", "z");
        for (long seed = 0; seed < 5; seed++) {
            List<String> shuffled = new ArrayList<>(expected);
            Collections.shuffle(shuffled, new Random(seed));
            shuffled.sort(TaskOrder.BY_ID);
            assertEquals(expected, shuffled);
        }
    }
}
