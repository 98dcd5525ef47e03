package dev.jcr.app.top.model;

/**
 * One resource of a process with the answer of its driver.
 *
 * @param group    the section of the details screen (see {@link ResourceGroup})
 * @param resource what it is, in words ("fd 3: pipe:[1234]", "thread 4711", "memory 7f…-7f… rw-p")
 * @param option   the option that would make it checkpointable, empty when none applies
 */
public record ResourceLine(ResourceGroup group, String resource, CrVerdict verdict, String reason, String option) {
}
