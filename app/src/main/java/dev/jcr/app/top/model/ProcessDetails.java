package dev.jcr.app.top.model;

import java.util.List;

/** The analysis of one process: its overall verdict and every resource with its driver's answer. */
public record ProcessDetails(long pid, String comm, CrVerdict overall, List<ResourceLine> resources) {
}
