package dev.jcr.proc;

import java.util.List;

/**
 * One process as /proc showed it at one moment: /proc/PID/stat, status, cmdline and ns (proc(5)).
 *
 * @param pid            process id (thread group id)
 * @param ppid           parent's pid (0 for init and kthreadd)
 * @param pgid           process group
 * @param sid            session
 * @param state          run state; null only if the kernel showed an unknown letter
 * @param comm           command name (at most 15 bytes, may contain spaces and parentheses)
 * @param cmdline        argv; empty for kernel threads and zombies
 * @param uids           real/effective/saved/fs user ids
 * @param gids           real/effective/saved/fs group ids
 * @param threads        number of threads
 * @param rssBytes       resident set size (status VmRSS; 0 for kernel threads, which have no memory)
 * @param vszBytes       virtual size (status VmSize)
 * @param startTimeTicks start time in clock ticks after boot (stat field 22)
 * @param ttyNr          controlling terminal as encoded in stat field 7 (0: none)
 * @param tracerPid      pid of the process tracing this one (0: not traced)
 * @param seccomp        seccomp mode
 * @param kernelThread   true for kernel threads (status Kthread, or PF_KTHREAD in stat flags)
 * @param capEffective   effective capability set
 * @param signals        signal masks of the process (SigBlk is the main thread's)
 * @param namespaces     namespace inodes
 */
public record ProcessInfo(long pid, long ppid, long pgid, long sid, ProcessState state, String comm,
        List<String> cmdline, Ids uids, Ids gids, int threads, long rssBytes, long vszBytes,
        long startTimeTicks, int ttyNr, long tracerPid, SeccompMode seccomp, boolean kernelThread,
        long capEffective, SignalMasks signals, Namespaces namespaces) {

    public ProcessInfo {
        cmdline = List.copyOf(cmdline);
    }

    public boolean isZombie() {
        return state == ProcessState.ZOMBIE || state == ProcessState.DEAD;
    }

    public boolean isTraced() {
        return tracerPid != 0;
    }

    /** Name of the controlling terminal (e.g. /dev/pts/3), or null. */
    public String ttyName() {
        return Devices.ttyName(ttyNr);
    }

    /** The command line joined by spaces, or [comm] when there is none (kernel threads, zombies). */
    public String commandLine() {
        return cmdline.isEmpty() ? "[" + comm + "]" : String.join(" ", cmdline);
    }

    /** True if the effective capability set holds capability number CAP (capability(7)). */
    public boolean hasCapability(int cap) {
        return (capEffective & (1L << cap)) != 0;
    }
}
