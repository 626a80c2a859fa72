package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.diag.Diagnostic;
import java.util.List;

/**
 * The result of lowering: the objects in submission order (WorkflowTemplates split out of a large
 * pipeline first, the Workflow / WorkflowTemplate / CronWorkflow last), their multi-document YAML
 * (byte-identical for the same input), its size, an estimate of the pods one run creates (loops over
 * computed lists count once), and diagnostics (E0701 over the size budget, E0703 a construct Argo
 * cannot express). With errors the manifests are still returned, for inspection.
 */
public record Lowered(List<ObjectNode> manifests, String yaml, long sizeBytes, long podEstimate,
                      List<Diagnostic> diagnostics) {
    public Lowered {
        manifests = List.copyOf(manifests);
        diagnostics = List.copyOf(diagnostics);
    }

    /** The object to submit: the last document. */
    public ObjectNode main() {
        return manifests.get(manifests.size() - 1);
    }

    public boolean hasErrors() {
        return Diagnostic.hasErrors(diagnostics);
    }
}
