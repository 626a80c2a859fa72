package dev.freestone.lsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eclipse.lsp4j.CodeAction;
import org.eclipse.lsp4j.CodeActionKind;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.Range;
import org.eclipse.lsp4j.TextEdit;
import org.junit.jupiter.api.Test;

/** Quick fixes: the diagnostic's "did you mean", and silencing a warning with {@code // freestone:allow}. */
class CodeActionsTest extends OneFileSession {
    static final String TEXT = """
            import stdlib/util as util
            import stdlib/tuning as tuning // for later

            component fit(lr: Float) -> (model: Model, accuracy: Float) {
              image   = "python:3.12-slim"
              command = ["train", "--lr={lr}", model, accuracy]
            }

            pipeline p(lr: Float = 0.1) -> (best: Float) {
              // freestone:allow unused-stpe
              a = fit(lr = lr)
              // freestone:allow shadowed-name
              b = fit(lr = lr)
              /* freestone:allow unused-value */
              c = fit(lr = lr)
              e = fit(lr = lr)
              d = fit(lr = lr)
              output best = d.acuracy
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    private List<CodeAction> actionsAt(String needle) {
        Position p = LanguageServerTest.pos(TEXT, needle, 0, 0);
        return client.codeActions(uri, new Range(p, p));
    }

    private static List<String> titles(List<CodeAction> actions) {
        return actions.stream().map(CodeAction::getTitle).toList();
    }

    private TextEdit onlyEdit(CodeAction a) {
        assertEquals(CodeActionKind.QuickFix, a.getKind());
        List<TextEdit> edits = a.getEdit().getChanges().get(uri);
        assertEquals(1, edits.size());
        return edits.get(0);
    }

    /** The text after the edit, checked again by the server: the codes left. */
    private List<String> codesAfter(TextEdit edit) {
        int v = client.edit(uri, edit.getRange(), edit.getNewText());
        return client.awaitDiagnostics(uri, v).getDiagnostics().stream().map(d -> d.getCode().getLeft()).sorted().toList();
    }

    @Test
    void aMisspeltLintNameIsChangedToTheClosest_AndNotAllowed() {
        List<CodeAction> actions = actionsAt("unused-stpe");
        assertEquals(List.of("Change to `unused-step`"), titles(actions));
        CodeAction change = actions.get(0);
        assertTrue(change.getIsPreferred());
        assertEquals("W0007", change.getDiagnostics().get(0).getCode().getLeft());
        TextEdit edit = onlyEdit(change);
        assertEquals(LanguageServerTest.range(TEXT, "unused-stpe", 0), edit.getRange());
        // W0007 gone, and the step `a` it meant to silence is silenced now
        assertEquals(List.of("E0102", "W0001", "W0001", "W0001", "W0003", "W0003", "W0006"), codesAfter(edit), "b, c and e are left");
    }

    @Test
    void anUnknownOutputIsChangedToTheClosest() {
        TextEdit edit = onlyEdit(actionsAt("acuracy").get(0));
        assertEquals(LanguageServerTest.range(TEXT, "acuracy", 0), edit.getRange());
        assertEquals("accuracy", edit.getNewText());
    }

    @Test
    void aWarningIsAllowedOnANewLineAboveWithItsIndentation() {
        List<CodeAction> actions = actionsAt("e = fit");
        assertEquals(List.of("Allow `unused-step` here (// freestone:allow)"), titles(actions));
        TextEdit edit = onlyEdit(actions.get(0));
        Position lineStart = new Position(LanguageServerTest.pos(TEXT, "e = fit", 0, 0).getLine(), 0);
        assertEquals(new Range(lineStart, lineStart), edit.getRange());
        assertEquals("  // freestone:allow unused-step\n", edit.getNewText());
        assertEquals(List.of("E0102", "W0001", "W0001", "W0001", "W0003", "W0003", "W0006", "W0007"), codesAfter(edit), "a, b and c are left");
    }

    @Test
    void anAllowCommentStandingAboveGetsTheName_ANewLineWouldTakeItsLineAway() {
        TextEdit line = onlyEdit(actionsAt("b = fit").get(0));
        assertEquals(", unused-step", line.getNewText());
        Position end = LanguageServerTest.pos(TEXT, "shadowed-name", 0, "shadowed-name".length());
        assertEquals(new Range(end, end), line.getRange());
        TextEdit block = onlyEdit(actionsAt("c = fit").get(0));
        Position beforeClose = LanguageServerTest.pos(TEXT, "unused-value", 0, "unused-value".length());
        assertEquals(new Range(beforeClose, beforeClose), block.getRange(), "before ` */`");
        assertEquals(List.of("E0102", "W0001", "W0001", "W0001", "W0003", "W0003", "W0006", "W0007"), codesAfter(line), "a, c and e are left");
    }

    @Test
    void anFStringPlaceholderGetsItsDollar() {
        List<CodeAction> actions = actionsAt("{lr}");
        assertEquals(List.of("Write `${lr}`", "Allow `missing-dollar` here (// freestone:allow)"), titles(actions));
        TextEdit edit = onlyEdit(actions.get(0));
        assertEquals("$", edit.getNewText());
        Position brace = LanguageServerTest.pos(TEXT, "{lr}", 0, 0);
        assertEquals(new Range(brace, brace), edit.getRange());
        assertTrue(!codesAfter(edit).contains("W0006"));
    }

    @Test
    void anUnusedImportAloneOnItsLineCanBeRemoved() {
        List<CodeAction> actions = actionsAt("import stdlib/util");
        assertEquals(List.of("Remove the import", "Allow `unused-import` here (// freestone:allow)"), titles(actions));
        TextEdit edit = onlyEdit(actions.get(0));
        assertEquals(new Range(new Position(0, 0), new Position(1, 0)), edit.getRange(), "the line with its line break");
        assertEquals("", edit.getNewText());
        // one with a comment after it: removing the line would take the comment too
        assertEquals(List.of("Allow `unused-import` here (// freestone:allow)"), titles(actionsAt("import stdlib/tuning")));
        assertEquals(1L, codesAfter(edit).stream().filter("W0003"::equals).count());
    }

    @Test
    void aPlaceWithoutADiagnosticHasNoActions() {
        assertEquals(List.of(), actionsAt("image"));
        assertEquals(List.of(), actionsAt("pipeline p"));
    }
}
