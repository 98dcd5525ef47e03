package dev.jcr.resource;

/**
 * One row of the support table: the best verdict a kind can get and the condition, in words, under
 * which it gets it (e.g. SUPPORTED, "up to 1 MiB; bigger ones are unsupported").
 */
public record Support(Verdict verdict, String condition) {
}
