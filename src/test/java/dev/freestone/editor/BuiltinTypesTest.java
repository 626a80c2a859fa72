package dev.freestone.editor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freestone.check.Type;
import dev.freestone.syntax.EditorGrammar;
import org.junit.jupiter.api.Test;

/**
 * The editor grammar highlights the built-in types from its own list (the syntax package cannot read
 * the type module); this keeps that copy equal to the type module's, so a type added to the language
 * fails here until the grammar knows it.
 */
class BuiltinTypesTest {
    @Test
    void theEditorGrammarsBuiltinTypesAreTheTypeModules() {
        assertEquals(Type.builtinNames(), EditorGrammar.BUILTIN_TYPES,
                "copy Type.builtinNames() into EditorGrammar.BUILTIN_TYPES and regenerate the grammar:"
                        + " mvn -B -q test -Dtest=EditorGrammarTest -Dfreestone.regenerate=true");
    }
}
