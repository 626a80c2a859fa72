package dev.freestone.lower.argo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freestone.diag.Diagnostic;
import java.util.List;

/**
 * The result of lowering: the objects in submission order (WorkflowTemplates split out of a large
 * pipeline first, the Workflow / WorkflowTemplate / CronWorkflow last), their multi-document YAML
 * (byte-identical for the same input), its size, an estimate of the pods one run creates, and
 * diagnostics (E0701 over the size budget, E0703 a construct Argo cannot express). With errors the
 * manifests are still returned, for inspection.
 *
 * <p>The estimate is for display (nothing is limited by it): {@code podEstimate} counts every step
 * once (each branch of an {@code if}, a step with retries once, a called pipeline's steps once per call), a loop over a literal list times its
 * length; a loop over a list known only at run time (a parameter, a step's output) is not in it but in
 * {@code podsPerItem}, its body's pods per item.
 */
public record Lowered(List<ObjectNode> manifests, String yaml, long sizeBytes, long podEstimate,
                      List<PerItem> podsPerItem, List<Diagnostic> diagnostics) {
    public Lowered {
        manifests = List.copyOf(manifests);
        podsPerItem = List.copyOf(podsPerItem);
        diagnostics = List.copyOf(diagnostics);
    }

    /**
     * The pods of one item of the loop {@code for loop in ...}, whose list is known only at run time.
     *
     * @param calls the steps that call the pipeline holding the loop, outermost first; empty for a loop
     *              of the pipeline compiled (a pipeline called twice has its loop twice, told apart by these)
     */
    public record PerItem(String loop, List<String> calls, long pods) {
        public PerItem {
            calls = List.copyOf(calls);
        }

        public PerItem(String loop, long pods) {
            this(loop, List.of(), pods);
        }

        /** This loop as seen from the pipeline whose step {@code call} calls the one holding it. */
        public PerItem calledBy(String call) {
            List<String> outer = new java.util.ArrayList<>();
            outer.add(call);
            outer.addAll(calls);
            return new PerItem(loop, outer, pods);
        }
    }

    /** The object to submit: the last document. */
    public ObjectNode main() {
        return manifests.get(manifests.size() - 1);
    }

    public boolean hasErrors() {
        return Diagnostic.hasErrors(diagnostics);
    }
}
