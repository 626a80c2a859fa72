/**
 * The typed DAG between the checker and the back ends. In: a checked program (built by {@code IrBuilder}).
 * Out: {@link dev.freestone.ir.Ir.Program} values and their canonical JSON ({@link dev.freestone.ir.IrJson}),
 * whose SHA-256 is the pipeline version, and {@link dev.freestone.ir.ValueText}, the text of a value as a step
 * sees it, which both back ends use. Holds: records only, immutable; the JSON of one program is
 * byte-identical wherever and whenever it is written, and reads back to an equal program. {@code IrWriter}
 * writes that JSON by hand with jackson-core, the bytes databind would write from the annotations on
 * {@code Ir} (a test holds it to them), so that writing never starts databind; reading goes through databind.
 * {@code IrGraph} draws a program as DOT, Mermaid or (with {@code IrSvg}'s own layout) SVG, deterministically.
 */
package dev.freestone.ir;
