package dev.jcr.restore;

import dev.jcr.ptrace.GpRegs;
import java.util.Set;

/**
 * Gives the kernel back a syscall that was interrupted by the dump. Images (jcr's and CRIU's) record
 * such a thread rewound: ip on its {@code syscall} instruction, ax = orig_ax = the syscall number, so
 * that it simply runs again. Restored like that, a signal that reaches the thread before it re-enters
 * the call runs its handler and then re-enters it: a {@code while (!flag) pause();} sleeps forever.
 * The kernel itself does better for a task it stopped: it keeps the call "interrupted" (ip after the
 * instruction, ax = -ERESTART…) and on resume either restarts it (no signal) or lets the handler end
 * it with EINTR. This puts a rewound call back into that form; the restored thread is resumed from a
 * ptrace stop inside signal delivery, where the kernel applies exactly that rule.
 */
final class SyscallRestart {

    private static final long SYSCALL_INSN = 0x050f; // 0f 05, little-endian

    /**
     * Calls the kernel ends with EINTR whenever a handler runs, SA_RESTART or not (they return
     * ERESTARTNOHAND): pause, rt_sigsuspend, select, pselect6, poll, ppoll, epoll_wait,
     * epoll_pwait, epoll_pwait2. The others are given ERESTARTSYS: restarted after an SA_RESTART
     * handler, EINTR after any other, as read/write/wait and most blocking calls do.
     */
    private static final Set<Long> NO_RESTART_AFTER_HANDLER = Set.of(34L, 130L, 23L, 270L, 7L, 271L, 232L, 281L, 441L);

    private SyscallRestart() {
    }

    /**
     * REGS in "interrupted" form if they are a rewound syscall: orig_ax is a syscall number equal to
     * ax, CODE (the 4 bytes at ip - 2, little-endian) has a {@code syscall} instruction at ip and not
     * one right before it (which would be a completed call followed by another). Else REGS unchanged.
     */
    static GpRegs interrupted(GpRegs regs, long code) {
        if (regs.origAx() < 0 || regs.ax() != regs.origAx()) {
            return regs;
        }
        boolean atSyscall = ((code >>> 16) & 0xffff) == SYSCALL_INSN;
        boolean afterSyscall = (code & 0xffff) == SYSCALL_INSN;
        if (!atSyscall || afterSyscall) {
            return regs;
        }
        long restart = NO_RESTART_AFTER_HANDLER.contains(regs.origAx()) ? GpRegs.ERESTARTNOHAND : GpRegs.ERESTARTSYS;
        return regs.withAxIp(restart, regs.ip() + 2);
    }
}
