package dev.jcr.resource.thread;

import com.google.protobuf.ByteString;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.CredsEntry;
import dev.jcr.image.proto.RseqEntry;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.SignalQueueEntry;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.image.proto.ThreadInfoX86;
import dev.jcr.image.proto.ThreadSasEntry;
import dev.jcr.image.proto.UserDescT;
import dev.jcr.image.proto.UserX86FpregsEntry;
import dev.jcr.image.proto.UserX86RegsEntry;
import dev.jcr.image.proto.UserX86RegsMode;
import dev.jcr.image.proto.UserX86XsaveEntry;
import dev.jcr.ptrace.AltStack;
import dev.jcr.ptrace.FpuState;
import dev.jcr.ptrace.GpRegs;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.ptrace.SigInfo;
import dev.jcr.ptrace.Tracer;
import dev.jcr.resource.DumpContext;
import dev.jcr.sys.RseqConfiguration;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads everything of one frozen thread into its core image: registers and FPU state through ptrace,
 * what only the thread itself can ask (clear-tid address, robust list, alternate stack, scheduling,
 * securebits) by remote syscalls, credentials from /proc.
 */
final class ThreadState {

    static final int SYS_GET_ROBUST_LIST = 274;
    static final int PR_GET_PDEATHSIG = 2;
    static final int PR_GET_SECUREBITS = 27;
    static final int PR_GET_NO_NEW_PRIVS = 39;

    private ThreadState() {
    }

    static void dump(int tid, DumpContext ctx) {
        Tracer tracer = ctx.tracer();
        // the session's saved registers are the thread's own: read them there, because remote
        // syscalls (this driver's, or the signal driver's on the leader) borrow the live ones
        RemoteSyscalls remote = ctx.remote(tid);
        GpRegs r = remote.savedRegs();
        FpuState fpu = tracer.fpuState(tid);
        long sigmask = tracer.sigmask(tid);
        List<SigInfo> pending = tracer.pendingSignals(tid);
        RseqConfiguration rseq = tracer.rseq(tid);

        long tidAddress = remote.tidAddress();
        AltStack sas = remote.sigaltstack();
        int nice = remote.nice();
        int policy = remote.schedPolicy();
        int prio = remote.schedPriority();
        long buf = remote.scratch(RemoteSyscalls.PAGE);
        remote.check("get_robust_list", SYS_GET_ROBUST_LIST, 0, buf, buf + 8);
        ByteBuffer rl = ByteBuffer.wrap(remote.read(buf, 16)).order(ByteOrder.LITTLE_ENDIAN);
        int securebits = (int) remote.prctl(PR_GET_SECUREBITS, 0, 0, 0, 0);
        int noNewPrivs = (int) remote.prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        remote.prctl(PR_GET_PDEATHSIG, buf, 0, 0, 0);
        int pdeathSig = ByteBuffer.wrap(remote.read(buf, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt();

        Path status = ctx.proc().dir(ctx.pid()).resolve("task").resolve(Integer.toString(tid)).resolve("status");
        String statusText = ctx.proc().read(ctx.pid(), status);
        CredsEntry creds = creds(statusText, securebits, noNewPrivs);
        String comm = ctx.proc().read(ctx.pid(), status.resolveSibling("comm")).strip();

        ThreadCoreEntry.Builder tcore = ThreadCoreEntry.newBuilder()
                .setFutexRla(rl.getLong(0)).setFutexRlaLen((int) rl.getLong(8))
                .setSchedNice(nice).setSchedPolicy(policy).setBlkSigset(sigmask)
                .setSas(ThreadSasEntry.newBuilder().setSsSp(sas.sp()).setSsSize(sas.size()).setSsFlags(sas.flags()))
                .setSignalsP(queue(pending)).setCreds(creds).setComm(comm);
        if (prio != 0) {
            tcore.setSchedPrio(prio);
        }
        if (pdeathSig != 0) {
            tcore.setPdeathSig(pdeathSig);
        }
        if (rseq.registered()) {
            tcore.setRseqEntry(RseqEntry.newBuilder().setRseqAbiPointer(rseq.rseqAbiPointer())
                    .setRseqAbiSize((int) rseq.rseqAbiSize()).setSignature((int) rseq.signature()));
        }
        CoreEntry.Builder core = ctx.threadCore(tid);
        core.setMtype(CoreEntry.March.X86_64)
                .setThreadInfo(ThreadInfoX86.newBuilder().setClearTidAddr(tidAddress).setGpregs(gpregs(r.forImage()))
                        .setFpregs(fpregs(fpu)).addAllTls(emptyTls()))
                .setThreadCore(tcore);
    }

    static SignalQueueEntry queue(List<SigInfo> signals) {
        SignalQueueEntry.Builder q = SignalQueueEntry.newBuilder();
        for (SigInfo s : signals) {
            q.addSignals(SiginfoEntry.newBuilder().setSiginfo(ByteString.copyFrom(s.raw())));
        }
        return q.build();
    }

    static UserX86RegsEntry gpregs(GpRegs r) {
        return UserX86RegsEntry.newBuilder().setR15(r.r15()).setR14(r.r14()).setR13(r.r13()).setR12(r.r12())
                .setBp(r.bp()).setBx(r.bx()).setR11(r.r11()).setR10(r.r10()).setR9(r.r9()).setR8(r.r8())
                .setAx(r.ax()).setCx(r.cx()).setDx(r.dx()).setSi(r.si()).setDi(r.di()).setOrigAx(r.origAx())
                .setIp(r.ip()).setCs(r.cs()).setFlags(r.flags()).setSp(r.sp()).setSs(r.ss())
                .setFsBase(r.fsBase()).setGsBase(r.gsBase()).setDs(r.ds()).setEs(r.es()).setFs(r.fs()).setGs(r.gs())
                .setMode(UserX86RegsMode.NATIVE).build();
    }

    static UserX86FpregsEntry fpregs(FpuState f) {
        UserX86FpregsEntry.Builder b = UserX86FpregsEntry.newBuilder().setCwd(f.cwd()).setSwd(f.swd()).setTwd(f.twd())
                .setFop(f.fop()).setRip(f.rip()).setRdp(f.rdp()).setMxcsr(f.mxcsr()).setMxcsrMask(f.mxcsrMask());
        for (int v : f.stSpace()) {
            b.addStSpace(v);
        }
        for (int v : f.xmmSpace()) {
            b.addXmmSpace(v);
        }
        for (int v : f.padding()) {
            b.addPadding(v);
        }
        if (f.hasXsave()) {
            UserX86XsaveEntry.Builder x = UserX86XsaveEntry.newBuilder().setXstateBv(f.xstateBv());
            for (int v : f.ymmhSpace()) {
                x.addYmmhSpace(v);
            }
            for (long v : f.bndregState()) {
                x.addBndregState(v);
            }
            for (long v : f.bndcsrState()) {
                x.addBndcsrState(v);
            }
            for (long v : f.opmaskReg()) {
                x.addOpmaskReg(v);
            }
            for (long v : f.zmmUpper()) {
                x.addZmmUpper(v);
            }
            for (long v : f.hi16Zmm()) {
                x.addHi16Zmm(v);
            }
            for (int v : f.pkru()) {
                x.addPkru(v);
            }
            b.setXsave(x);
        }
        return b.build();
    }

    /** The three GDT TLS slots (12..14) as CRIU records them; 64-bit programs use fs_base instead. */
    static List<UserDescT> emptyTls() {
        UserDescT.Builder d = UserDescT.newBuilder().setBaseAddr(0).setLimit(0).setSeg32Bit(false).setContentsH(false)
                .setContentsL(false).setReadExecOnly(true).setLimitInPages(false).setSegNotPresent(true).setUsable(false);
        return List.of(d.setEntryNumber(12).build(), d.setEntryNumber(13).build(), d.setEntryNumber(14).build());
    }

    /** Credentials from /proc/PID/task/TID/status: Uid/Gid lines, capability sets, supplementary groups. */
    static CredsEntry creds(String status, int securebits, int noNewPrivs) {
        CredsEntry.Builder c = CredsEntry.newBuilder().setSecbits(securebits).setNoNewPrivs(noNewPrivs);
        for (String line : status.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon);
            String[] v = line.substring(colon + 1).trim().split("\\s+");
            switch (key) {
                case "Uid" -> c.setUid(u32(v[0])).setEuid(u32(v[1])).setSuid(u32(v[2])).setFsuid(u32(v[3]));
                case "Gid" -> c.setGid(u32(v[0])).setEgid(u32(v[1])).setSgid(u32(v[2])).setFsgid(u32(v[3]));
                case "CapInh" -> addCaps(c::addCapInh, v[0]);
                case "CapPrm" -> addCaps(c::addCapPrm, v[0]);
                case "CapEff" -> addCaps(c::addCapEff, v[0]);
                case "CapBnd" -> addCaps(c::addCapBnd, v[0]);
                case "CapAmb" -> addCaps(c::addCapAmb, v[0]);
                case "Groups" -> {
                    for (String g : v) {
                        if (!g.isEmpty()) {
                            c.addGroups(u32(g));
                        }
                    }
                }
                default -> { }
            }
        }
        return c.build();
    }

    private static int u32(String s) {
        return (int) Long.parseLong(s);
    }

    /** A 64-bit capability mask as CRIU's two u32 words, low word first. */
    private static void addCaps(java.util.function.IntConsumer add, String hex) {
        long m = Long.parseUnsignedLong(hex, 16);
        add.accept((int) m);
        add.accept((int) (m >>> 32));
    }
}
