package dev.jcr.dump;

import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.ItimerEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PosixTimerEntry;
import dev.jcr.image.proto.RlimitEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.TaskRlimitsEntry;
import dev.jcr.image.proto.TaskTimersEntry;
import dev.jcr.proc.PathLink;
import dev.jcr.proc.ProcFs;
import dev.jcr.proc.Rlimit;
import dev.jcr.ptrace.ITimer;
import dev.jcr.ptrace.PosixTimerState;
import dev.jcr.ptrace.RemoteSyscalls;
import dev.jcr.resource.FileEntries;
import dev.jcr.resource.NotDumpableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The process-wide images of one frozen process that belong to no driver: mm (memory layout fields,
 * auxv, exe), the task part of the core image (state, personality, rlimits, timers, comm …) and fs
 * (cwd, root, umask). Values only the process knows come from remote syscalls in its leader.
 */
final class TaskImages {

    static final int SYS_BRK = 12;
    static final int PR_GET_DUMPABLE = 3;
    static final int PR_GET_CHILD_SUBREAPER = 37;
    static final int PR_GET_THP_DISABLE = 42;
    static final int SYS_MEMBARRIER = 324;
    static final int MEMBARRIER_CMD_GET_REGISTRATIONS = 1 << 9;
    // CRIU's task states (crit 3.17 prints 3 as "Zombie" and 6 as "Stopped": its labels are swapped)
    static final int TASK_ALIVE = 1;
    static final int TASK_DEAD = 2;
    static final int TASK_STOPPED = 3;

    private TaskImages() {
    }

    /** /proc/PID/stat fields after the comm, so that field N (proc(5) numbering) is at index N - 3. */
    static String[] stat(ProcFs fs, int pid) {
        String s = fs.read(pid, fs.dir(pid).resolve("stat"));
        return s.substring(s.lastIndexOf(')') + 2).trim().split(" ");
    }

    static long field(String[] stat, int n) {
        return Long.parseUnsignedLong(stat[n - 3]);
    }

    static MmEntry mm(ProcessDump p) {
        ProcFs fs = p.proc();
        int pid = p.pid();
        String[] st = stat(fs, pid);
        RemoteSyscalls r = p.remote(pid);
        long brk = r.check("brk", SYS_BRK, 0);
        MmEntry.Builder mm = MmEntry.newBuilder()
                .setMmStartCode(field(st, 26)).setMmEndCode(field(st, 27)).setMmStartStack(field(st, 28))
                .setMmStartData(field(st, 45)).setMmEndData(field(st, 46)).setMmStartBrk(field(st, 47))
                .setMmBrk(brk).setMmArgStart(field(st, 48)).setMmArgEnd(field(st, 49))
                .setMmEnvStart(field(st, 50)).setMmEnvEnd(field(st, 51))
                .setDumpable((int) r.prctl(PR_GET_DUMPABLE, 0, 0, 0, 0))
                .setThpDisabled(r.prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 0);
        PathLink exe = fs.exe(pid).orElseThrow(() -> new NotDumpableException(pid, "exe", "has no executable"));
        if (exe.deleted()) {
            throw new NotDumpableException(pid, "exe", "executable " + exe.path() + " was deleted: not supported yet");
        }
        long[] ms = FileEntries.modeAndSize(fs.dir(pid).resolve("exe"));
        long[] stat = ms == null ? new long[] {0, -1} : ms;
        // same key as the mapping driver's, so that the exe and its mappings share one entry
        mm.setExeFileId(p.fileId(List.of("map", exe.path(), 0),
                id -> FileEntries.reg(id, exe.path(), 0, 0, (int) stat[0], stat[1])));
        ByteBuffer auxv = ByteBuffer.wrap(bytes(fs.dir(pid).resolve("auxv"), pid)).order(ByteOrder.LITTLE_ENDIAN);
        while (auxv.remaining() >= 16) {
            long type = auxv.getLong();
            long value = auxv.getLong();
            if (type == 0) {
                break;
            }
            mm.addMmSavedAuxv(type).addMmSavedAuxv(value);
        }
        // madvise advice (MADV_DONTFORK …) is not in maps: smaps has it, once for all mappings
        java.util.Map<Long, Long> madv = p.madvise();
        for (dev.jcr.image.proto.VmaEntry v : p.vmas) {
            long m = madv.getOrDefault(v.getStart(), 0L);
            mm.addVmas(m == 0 ? v : v.toBuilder().setMadv(m).build());
        }
        return mm.build();
    }

    /** Fills the process-wide fields of TC (sigactions and shared signals come from the signal driver). */
    static void task(ProcessDump p, TaskCoreEntry.Builder tc, long leaderSigmask) {
        ProcFs fs = p.proc();
        int pid = p.pid();
        String[] st = stat(fs, pid);
        RemoteSyscalls r = p.remote(pid);
        Path dir = fs.dir(pid);
        tc.setTaskState(p.frozen().stopped() ? TASK_STOPPED : TASK_ALIVE).setExitCode(0)
                .setPersonality((int) Long.parseLong(fs.read(pid, dir.resolve("personality")).strip(), 16))
                .setFlags((int) field(st, 9)).setBlkSigset(leaderSigmask)
                .setComm(fs.read(pid, dir.resolve("comm")).strip());
        if (p.frozen().stopped()) {
            tc.setStopSigno(p.frozen().groupStopSignal());
        }
        TaskTimersEntry.Builder timers = TaskTimersEntry.newBuilder()
                .setReal(itimer(r.getitimer(ITimer.REAL))).setVirt(itimer(r.getitimer(ITimer.VIRTUAL)))
                .setProf(itimer(r.getitimer(ITimer.PROF)));
        for (PosixTimerEntry e : posixTimers(fs.read(pid, dir.resolve("timers")), r)) {
            timers.addPosix(e);
        }
        tc.setTimers(timers);
        TaskRlimitsEntry.Builder rl = TaskRlimitsEntry.newBuilder();
        for (Rlimit l : fs.limits(pid)) {
            rl.addRlimits(RlimitEntry.newBuilder().setCur(l.soft()).setMax(l.hard()));
        }
        tc.setRlimits(rl);
        tc.setLoginuid((int) Long.parseLong(fs.read(pid, dir.resolve("loginuid")).strip()));
        tc.setOomScoreAdj(Integer.parseInt(fs.read(pid, dir.resolve("oom_score_adj")).strip()));
        long buf = r.scratch(RemoteSyscalls.PAGE);
        r.prctl(PR_GET_CHILD_SUBREAPER, buf, 0, 0, 0);
        tc.setChildSubreaper(ByteBuffer.wrap(r.read(buf, 4)).order(ByteOrder.LITTLE_ENDIAN).getInt() != 0);
        // membarrier registrations (Linux 6.3+; older kernels say EINVAL: nothing to record)
        long barriers = r.syscall(SYS_MEMBARRIER, MEMBARRIER_CMD_GET_REGISTRATIONS, 0, 0);
        if (barriers > 0) {
            tc.setMembarrierRegistrationMask((int) barriers);
        }
    }

    /**
     * The core image of a zombie, as CRIU writes it: task_state TASK_DEAD with the wait status the
     * parent will collect (/proc/PID/stat field 52: exit code << 8, or the killing signal | 0x80 for a
     * core dump), and its name; no registers, memory or files (it has none left).
     */
    static CoreEntry zombie(ProcFs fs, int pid) {
        String[] st = stat(fs, pid);
        String comm = fs.read(pid, fs.dir(pid).resolve("comm")).strip();
        return CoreEntry.newBuilder().setMtype(CoreEntry.March.X86_64).setTc(TaskCoreEntry.newBuilder()
                .setTaskState(TASK_DEAD).setExitCode((int) field(st, 52)).setPersonality(0).setFlags((int) field(st, 9))
                .setBlkSigset(0).setComm(comm)).build();
    }

    static FsEntry fs(ProcessDump p) {
        ProcFs fs = p.proc();
        int pid = p.pid();
        PathLink cwd = fs.cwd(pid).orElseThrow(() -> new NotDumpableException(pid, "cwd", "has no working directory"));
        PathLink root = fs.rootDir(pid).orElseThrow(() -> new NotDumpableException(pid, "root", "has no root directory"));
        int cwdMode = FileEntries.mode(fs.dir(pid).resolve("cwd"));
        int rootMode = FileEntries.mode(fs.dir(pid).resolve("root"));
        int cwdId = cwd.deleted() ? removedDirectory(p, cwd.path(), fs.dir(pid).resolve("cwd"), cwdMode)
                : p.fileId(List.of("dir", cwd.path()), id -> FileEntries.reg(id, cwd.path(), 0, 0, cwdMode, -1));
        int rootId = p.fileId(List.of("dir", root.path()), id -> FileEntries.reg(id, root.path(), 0, 0, rootMode, -1));
        int umask = 022;
        for (String line : fs.read(pid, fs.dir(pid).resolve("status")).split("\n")) {
            if (line.startsWith("Umask:")) {
                umask = Integer.parseInt(line.substring(6).trim(), 8);
            }
        }
        return FsEntry.newBuilder().setCwdId(cwdId).setRootId(rootId).setUmask(umask).build();
    }

    /**
     * A working directory that was removed (CRIU handles it so): a ghost entry with the directory's
     * mode, owner and inode and no content, which the restore recreates as an empty directory, enters
     * and removes again. One per inode, shared by every process that was in it.
     */
    private static int removedDirectory(ProcessDump p, String path, Path link, int mode) {
        int[] owner = {0, 0};
        long ino = 0;
        try {
            java.util.Map<String, Object> a = Files.readAttributes(link, "unix:uid,gid,ino");
            owner[0] = ((Number) a.get("uid")).intValue();
            owner[1] = ((Number) a.get("gid")).intValue();
            ino = ((Number) a.get("ino")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            throw new NotDumpableException(p.pid(), "cwd", "removed working directory " + path + ": " + e.getMessage());
        }
        long inode = ino;
        return p.fileId(List.of("dir", path, "removed", inode), id -> {
            p.addGhostFile(id, dev.jcr.image.proto.GhostFileEntry.newBuilder().setUid(owner[0]).setGid(owner[1])
                    .setMode(mode).setIno(inode).setSize(0).setChunks(true).build(), link, 0);
            return FileEntries.reg(id, path, 0, 0, mode, -1);
        });
    }

    private static ItimerEntry itimer(ITimer t) {
        return ItimerEntry.newBuilder().setIsec(t.intervalSec()).setIusec(t.intervalUsec()).setVsec(t.valueSec())
                .setVusec(t.valueUsec()).build();
    }

    /**
     * /proc/PID/timers blocks ("ID: 0", "signal: 14/00000000deadbeef", "notify: signal/pid.123",
     * "ClockID: 1") joined with timer_gettime/timer_getoverrun from inside the process.
     */
    static List<PosixTimerEntry> posixTimers(String text, RemoteSyscalls r) {
        List<PosixTimerEntry> out = new java.util.ArrayList<>();
        PosixTimerEntry.Builder b = null;
        for (String line : (text + "\nID: end").split("\n")) {
            line = line.strip();
            if (line.startsWith("ID:")) {
                if (b != null) {
                    PosixTimerState s = r.timerGettime(b.getItId());
                    out.add(b.setOverrun(s.overrun()).setIsec(s.intervalSec()).setInsec(s.intervalNsec())
                            .setVsec(s.valueSec()).setVnsec(s.valueNsec()).build());
                    b = null;
                }
                String id = line.substring(3).trim();
                if (!id.equals("end")) {
                    b = PosixTimerEntry.newBuilder().setItId(Integer.parseInt(id)).setClockId(0).setSiSigno(0)
                            .setItSigevNotify(0).setSivalPtr(0).setOverrun(0).setIsec(0).setInsec(0).setVsec(0).setVnsec(0);
                }
            } else if (b != null && line.startsWith("signal:")) {
                String[] sv = line.substring(7).trim().split("/");
                b.setSiSigno(Integer.parseInt(sv[0])).setSivalPtr(Long.parseUnsignedLong(sv[1], 16));
            } else if (b != null && line.startsWith("notify:")) {
                String v = line.substring(7).trim();
                String how = v.substring(0, v.indexOf('/'));
                boolean thread = v.contains("/tid.");
                int notify = switch (how) {
                    case "none" -> 1;
                    case "thread" -> 2;
                    default -> 0;
                };
                if (thread) {
                    notify |= 4; // SIGEV_THREAD_ID
                    b.setNotifyThreadId(Integer.parseInt(v.substring(v.indexOf("tid.") + 4)));
                }
                b.setItSigevNotify(notify);
            } else if (b != null && line.startsWith("ClockID:")) {
                b.setClockId(Integer.parseInt(line.substring(8).trim()));
            }
        }
        return out;
    }

    private static byte[] bytes(Path p, int pid) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new NotDumpableException(pid, p.toString(), "cannot read: " + e.getMessage());
        }
    }
}
