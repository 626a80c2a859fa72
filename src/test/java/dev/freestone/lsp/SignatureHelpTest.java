package dev.freestone.lsp;

import static dev.freestone.lsp.LanguageServerTest.pos;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.eclipse.lsp4j.ParameterInformation;
import org.eclipse.lsp4j.Position;
import org.eclipse.lsp4j.SignatureHelp;
import org.eclipse.lsp4j.SignatureInformation;
import org.junit.jupiter.api.Test;

/** Signature help inside calls, as a call is typed: the signature, its parameters and the one being written. */
class SignatureHelpTest extends OneFileSession {
    static final String TEXT = """
            /// Trains a model.
            component train(
              data: Dataset,
              /// The learning rate.
              lr: Float,
              epochs: Int = 10,
            ) -> (model: Model, accuracy: Float) {
              image   = "python:3.12-slim"
              command = ["train", data, "${lr}", "${epochs}", model, accuracy]
            }

            /// Settings of one training.
            struct Config {
              /// The learning rate.
              lr: Float,
              epochs: Int,
            }

            component fetch(url: String) -> (data: Dataset) {
              image   = "curlimages/curl:8.8.0"
              command = ["curl", "-o", data, url]
            }

            pipeline fit(url: String) {
              raw = fetch(url = url)
              m = train(data = raw.data, lr = 0.1)
            }
            """;

    @Override
    String text() {
        return TEXT;
    }

    /** The help at the end of {@code typed}, written as the body's last line, while the file does not parse. */
    private SignatureHelp typing(String typed) {
        String text = TEXT.replace("  m = train(data = raw.data, lr = 0.1)\n", "  " + typed + "\n");
        int v = client.change(uri, text);
        client.awaitDiagnostics(uri, v);
        return client.signatureHelp(uri, pos(text, typed, 0, typed.length()));
    }

    @Test
    void theSignatureWithItsDocsAndParameters() {
        SignatureHelp help = client.signatureHelp(uri, pos(TEXT, "lr = 0.1", 0, 5));
        assertEquals(1, help.getSignatures().size());
        SignatureInformation s = help.getSignatures().get(0);
        assertEquals("train(data: Dataset, lr: Float, epochs: Int = 10) -> (model: Model, accuracy: Float)", s.getLabel());
        assertEquals("Trains a model.", s.getDocumentation().getRight().getValue());
        List<String> labels = s.getParameters().stream()
                .map(p -> s.getLabel().substring(p.getLabel().getRight().getFirst(), p.getLabel().getRight().getSecond()))
                .toList();
        assertEquals(List.of("data: Dataset", "lr: Float", "epochs: Int = 10"), labels);
        List<String> docs = s.getParameters().stream().map(ParameterInformation::getDocumentation)
                .map(d -> d == null ? null : d.getRight().getValue()).toList();
        assertEquals(java.util.Arrays.asList(null, "The learning rate.", null), docs);
        assertEquals(0, help.getActiveSignature());
        assertEquals(1, help.getActiveParameter(), "the value of `lr`");
    }

    @Test
    void theActiveParameterIsTheArgumentBeingWrittenByItsName() {
        assertEquals(0, typing("m = train(").getActiveParameter(), "nothing given: the first");
        assertEquals(2, typing("m = train(epochs = ").getActiveParameter(), "after `epochs =`, wherever it stands");
        assertEquals(2, typing("m = train(epochs = len([1, 2])").getActiveParameter(), "after a call in its value");
        assertEquals(0, typing("m = train(lr = 0.1, ").getActiveParameter(), "the first not yet given");
        assertEquals(2, typing("m = train(data = raw.data, lr = 0.1, ").getActiveParameter());
        assertNull(typing("m = train(data = raw.data, lr = 0.1, epochs = 3, ").getActiveParameter(), "all given");
        assertEquals("fetch(url: String) -> (data: Dataset)",
                typing("m = fetch(url = \"x\", ").getSignatures().get(0).getLabel());
    }

    @Test
    void aStructValueShowsItsFields() {
        SignatureHelp help = typing("c = Config(epochs = 3, ");
        SignatureInformation s = help.getSignatures().get(0);
        assertEquals("Config(lr: Float, epochs: Int)", s.getLabel());
        assertEquals("Settings of one training.", s.getDocumentation().getRight().getValue());
        assertEquals("The learning rate.", s.getParameters().get(0).getDocumentation().getRight().getValue());
        assertEquals(0, help.getActiveParameter(), "the field not given yet");
        assertEquals(1, typing("c = Config(epochs = ").getActiveParameter());
    }

    @Test
    void aBuiltinShowsItsArgumentsByPosition() {
        SignatureHelp len = typing("n = len(");
        SignatureInformation s = len.getSignatures().get(0);
        assertEquals("len(x) -> Int", s.getLabel());
        assertEquals("the length of a List, Map or String", s.getDocumentation().getRight().getValue());
        assertEquals(0, len.getActiveParameter());
        assertNull(typing("n = len(a, ").getActiveParameter(), "len takes one argument");

        SignatureHelp key = typing("s = secret(\"db\", ");
        assertEquals("secret(name, key)", key.getSignatures().get(0).getLabel());
        assertEquals(1, key.getActiveParameter());
        SignatureInformation secret = key.getSignatures().get(0);
        var second = secret.getParameters().get(1).getLabel().getRight();
        assertEquals("key", secret.getLabel().substring(second.getFirst(), second.getSecond()));

        assertEquals(1, typing("s = secret([1, 2], ").getActiveParameter(), "a comma in a list is no argument's");
        assertEquals(1, typing("v = pvc(\"data\", read_only = ").getActiveParameter());
        assertEquals(2, typing("x = oneof(a, b, c, ").getActiveParameter(), "oneof takes any number: the last is `...`");
    }

    @Test
    void nothingOutsideACallOfAComponentOrPipeline() {
        assertNull(client.signatureHelp(uri, pos(TEXT, "raw = ", 0, 2)), "outside every call");
        assertNull(client.signatureHelp(uri, pos(TEXT, "python:3.12", 0, 2)), "in a string");
        assertNull(typing("m = nothing("), "an unknown name");
    }

    @Test
    void theServerAnnouncesItsTriggers() {
        var caps = client.initialize().getCapabilities();
        assertEquals(List.of("(", ","), caps.getSignatureHelpProvider().getTriggerCharacters());
        assertEquals(true, caps.getRenameProvider().getRight().getPrepareProvider());
        Position nowhere = new Position(0, 0);
        assertNull(client.signatureHelp(uri, nowhere));
    }
}
