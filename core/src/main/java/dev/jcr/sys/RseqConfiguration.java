package dev.jcr.sys;

/** struct ptrace_rseq_configuration: where a thread registered its struct rseq (0 when none). */
public record RseqConfiguration(long rseqAbiPointer, long rseqAbiSize, long signature, long flags) {
    public boolean registered() {
        return rseqAbiPointer != 0;
    }
}
