package dev.freestone.check;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.freestone.diag.Code;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * E0109's help lists the built-in types in words (diag cannot see the type module): every name the
 * type module knows must be in it, or a user is never told of that type (it once left out Quantity).
 */
class UnknownTypeHelpTest {

    @Test
    void theHelpOfAnUnknownTypeNamesEveryBuiltinType() {
        String help = Code.E0109.helpTemplate();
        for (String name : Type.builtinNames()) {
            assertTrue(Pattern.compile("\\b" + name + "\\b").matcher(help).find(),
                    "E0109's help does not name the built-in type " + name + ": " + help);
        }
    }
}
