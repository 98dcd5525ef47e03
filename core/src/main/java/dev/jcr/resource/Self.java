package dev.jcr.resource;

import dev.jcr.proc.Namespaces;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.ProcessInfo;

/**
 * Who jcr itself is: its pid (never dump yourself), namespaces (targets elsewhere are refused) and
 * privileges (ptrace of other users' processes needs CAP_SYS_PTRACE).
 */
public record Self(long pid, long euid, long capEffective, Namespaces namespaces) {

    public static final int CAP_SYS_PTRACE = 19;

    /** jcr as seen through FS's "self" link. */
    public static Self of(ProcFs fs) {
        ProcessInfo me = fs.process(fs.selfPid());
        return new Self(me.pid(), me.uids().effective(), me.capEffective(), me.namespaces());
    }

    public boolean hasCapability(int cap) {
        return (capEffective & (1L << cap)) != 0;
    }
}
