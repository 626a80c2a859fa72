/**
 * Tests of the whole compiler as {@code freestone compile} runs it: {@code .pipe} text through the Checker, the
 * IrBuilder and the Argo lowering (golden IR and YAML, generated programs, size targets and Argo's limits). They
 * live outside {@code dev.freestone.lower} because only they may use every phase at once.
 */
package dev.freestone.compile;
