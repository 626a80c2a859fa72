package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.check.Checker;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Hover and completion describe the builtin functions from their own short texts (the checker knows
 * the rules, not words for people); this keeps that list equal to the checker's, so a builtin added to
 * the language fails here until it is described.
 */
class HoversTest {
    @Test
    void everyBuiltinFunctionIsDescribedAndNothingElse() {
        assertEquals(Set.copyOf(Checker.builtinFunctions()), Hovers.BUILTIN_FUNCTIONS.keySet(),
                "describe the new builtin in Hovers.BUILTIN_FUNCTIONS");
        Hovers.BUILTIN_FUNCTIONS.forEach((name, text) -> assertEquals(name + "(", text.substring(0, name.length() + 1)));
    }
}
