package dev.freestone.runtime.argo;

/** The Argo resources Freestone creates, with their Kubernetes plural and Argo Server path segment. */
enum ArgoKind {
    Workflow("workflows", "workflows", "workflow"),
    WorkflowTemplate("workflowtemplates", "workflow-templates", "template"),
    CronWorkflow("cronworkflows", "cron-workflows", "cronWorkflow");

    static final String GROUP = "argoproj.io";
    static final String VERSION = "v1alpha1";
    static final String API_VERSION = GROUP + "/" + VERSION;

    final String plural;
    /** {@code /api/v1/<serverPath>/{namespace}} on the Argo Server */
    final String serverPath;
    /** the field of the create request that holds the object */
    final String createField;

    ArgoKind(String plural, String serverPath, String createField) {
        this.plural = plural;
        this.serverPath = serverPath;
        this.createField = createField;
    }

    static ArgoKind of(String kind) {
        for (ArgoKind k : values()) {
            if (k.name().equals(kind)) {
                return k;
            }
        }
        throw new IllegalArgumentException("not an Argo kind Freestone submits: " + kind);
    }
}
