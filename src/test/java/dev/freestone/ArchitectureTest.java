package dev.freestone;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The phase rule: {@code syntax → check → ir → lower}, {@code diag} shared, {@code cli} and {@code lsp}
 * at the edge. No phase reaches back; the compiler never imports the runtime; ANTLR's types never
 * leave the syntax package; the runtime reads the IR, never the AST, the checker or the lowering (the Argo
 * backend takes lowered manifests as JSON).
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // the predefined option knows `target/test-classes`; builds elsewhere (-Dfreestone.buildDir) too
                .withImportOption(location -> !location.contains("/test-classes/"))
                .importPackages("dev.freestone");
    }

    @Test
    void antlrStaysInsideSyntax() {
        noClasses().that().resideOutsideOfPackages("dev.freestone.syntax..")
                .should().dependOnClassesThat().resideInAnyPackage("org.antlr..", "dev.freestone.syntax.antlr..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void diagDependsOnNoPhase() {
        noClasses().that().resideInAPackage("dev.freestone.diag..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.syntax..", "dev.freestone.check..",
                        "dev.freestone.ir..", "dev.freestone.lower..", "dev.freestone.runtime..", "dev.freestone.cli..",
                        "dev.freestone.lsp..", "dev.freestone.fmt..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void syntaxDoesNotReachForward() {
        noClasses().that().resideInAPackage("dev.freestone.syntax..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.check..", "dev.freestone.ir..",
                        "dev.freestone.lower..", "dev.freestone.runtime..", "dev.freestone.cli..", "dev.freestone.lsp..",
                        "dev.freestone.fmt..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void checkDoesNotReachForward() {
        noClasses().that().resideInAPackage("dev.freestone.check..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.ir..", "dev.freestone.lower..",
                        "dev.freestone.runtime..", "dev.freestone.cli..", "dev.freestone.lsp..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void irDoesNotReachForward() {
        noClasses().that().resideInAPackage("dev.freestone.ir..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.lower..", "dev.freestone.runtime..",
                        "dev.freestone.cli..", "dev.freestone.lsp..", "dev.freestone.fmt..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void lowerReadsOnlyTheIr() {
        noClasses().that().resideInAPackage("dev.freestone.lower..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.syntax..", "dev.freestone.check..",
                        "dev.freestone.runtime..", "dev.freestone.cli..", "dev.freestone.lsp..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void compilerNeverImportsTheRuntime() {
        noClasses().that().resideInAnyPackage("dev.freestone.diag..", "dev.freestone.syntax..", "dev.freestone.check..",
                        "dev.freestone.ir..", "dev.freestone.lower..", "dev.freestone.fmt..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.runtime..", "dev.freestone.cli..",
                        "dev.freestone.lsp..")
                .allowEmptyShould(true).check(classes);
    }

    @Test
    void runtimeReadsTheIrNotTheAst() {
        noClasses().that().resideInAPackage("dev.freestone.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.freestone.syntax..", "dev.freestone.check..",
                        "dev.freestone.lower..", "dev.freestone.fmt..", "dev.freestone.cli..", "dev.freestone.lsp..")
                .allowEmptyShould(true).check(classes);
    }
}
