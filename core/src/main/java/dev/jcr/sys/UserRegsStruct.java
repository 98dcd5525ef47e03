package dev.jcr.sys;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** struct user_regs_struct of x86_64 (sys/user.h), the PTRACE_GETREGS/SETREGS payload: 27 longs. */
@FieldOrder({"r15", "r14", "r13", "r12", "rbp", "rbx", "r11", "r10", "r9", "r8", "rax", "rcx", "rdx", "rsi",
        "rdi", "orig_rax", "rip", "cs", "eflags", "rsp", "ss", "fs_base", "gs_base", "ds", "es", "fs", "gs"})
public final class UserRegsStruct extends Structure {
    /** Number of 8-byte fields, in the order above (the order {@link Linux#ptraceGetRegs} returns). */
    public static final int COUNT = 27;

    public long r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8, rax, rcx, rdx, rsi, rdi, orig_rax, rip, cs, eflags,
            rsp, ss, fs_base, gs_base, ds, es, fs, gs;
}
