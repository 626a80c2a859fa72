/**
 * Diagnostics shared by every phase: {@link dev.freestone.diag.Source} (a file's text and line index),
 * {@link dev.freestone.diag.Span}, {@link dev.freestone.diag.Diagnostic} (a value, never an exception),
 * the {@link dev.freestone.diag.Code} catalog that holds every message template, and the rustc-style
 * {@link dev.freestone.diag.Renderer} (which quotes a source line of more than 400 characters only around
 * the place, with an ellipsis at each cut). Depends on nothing else in Freestone.
 */
package dev.freestone.diag;
