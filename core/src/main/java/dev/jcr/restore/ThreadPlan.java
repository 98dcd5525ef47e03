package dev.jcr.restore;

import dev.jcr.image.proto.CoreEntry;

/** One thread to recreate: its id and its core image (registers, FPU, mask, rseq, altstack …). */
public record ThreadPlan(int tid, CoreEntry core) {
}
