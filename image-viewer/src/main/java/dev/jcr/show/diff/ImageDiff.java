package dev.jcr.show.diff;

import com.google.protobuf.ByteString;
import dev.jcr.image.ProcessMemory;
import dev.jcr.image.VmaLookup;
import dev.jcr.image.proto.CoreEntry;
import dev.jcr.image.proto.CredsEntry;
import dev.jcr.image.proto.FdinfoEntry;
import dev.jcr.image.proto.FsEntry;
import dev.jcr.image.proto.MmEntry;
import dev.jcr.image.proto.PstreeEntry;
import dev.jcr.image.proto.RlimitEntry;
import dev.jcr.image.proto.SaEntry;
import dev.jcr.image.proto.SignalQueueEntry;
import dev.jcr.image.proto.SiginfoEntry;
import dev.jcr.image.proto.TaskCoreEntry;
import dev.jcr.image.proto.ThreadCoreEntry;
import dev.jcr.image.proto.VmaEntry;
import dev.jcr.show.explore.FdsView;
import dev.jcr.show.model.Dump;
import dev.jcr.show.model.FileNames;
import dev.jcr.show.model.Tasks;
import dev.jcr.show.text.Human;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Compares two checkpoints of (usually) the same process tree and says what changed: processes and
 * threads that came or went, registers, the memory map, page contents, fds, cwd, credentials,
 * resource limits and signal state. Ids that are local to one dump (file ids, shmids) are never
 * compared; what they name is. The result is a {@link DiffReport}, rendered by {@link DiffText} or
 * {@link DiffJson}.
 */
public final class ImageDiff {

    private ImageDiff() {
    }

    public static DiffReport between(Path a, Path b) {
        return between(Dump.open(a), Dump.open(b));
    }

    public static DiffReport between(Dump a, Dump b) {
        Map<Integer, PstreeEntry> pa = byPid(a);
        Map<Integer, PstreeEntry> pb = byPid(b);
        List<DiffReport.Proc> added = new ArrayList<>();
        List<DiffReport.Proc> removed = new ArrayList<>();
        List<ProcessDiff> changed = new ArrayList<>();
        for (PstreeEntry p : pa.values()) {
            if (!pb.containsKey(p.getPid())) {
                removed.add(new DiffReport.Proc(p.getPid(), p.getPpid(), Tasks.comm(a.core(p.getPid()))));
            }
        }
        for (PstreeEntry p : pb.values()) {
            if (!pa.containsKey(p.getPid())) {
                added.add(new DiffReport.Proc(p.getPid(), p.getPpid(), Tasks.comm(b.core(p.getPid()))));
            } else {
                ProcessDiff d = process(a, pa.get(p.getPid()), b, p);
                if (!d.same()) {
                    changed.add(d);
                }
            }
        }
        return new DiffReport(a.path().toString(), b.path().toString(), List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
    }

    private static Map<Integer, PstreeEntry> byPid(Dump d) {
        Map<Integer, PstreeEntry> m = new TreeMap<>();
        d.processes().forEach(p -> m.put(p.getPid(), p));
        return m;
    }

    static ProcessDiff process(Dump a, PstreeEntry pa, Dump b, PstreeEntry pb) {
        int pid = pa.getPid();
        CoreEntry ca = a.core(pid);
        CoreEntry cb = b.core(pid);
        List<Change> task = new ArrayList<>();
        add(task, "comm", Tasks.comm(ca), Tasks.comm(cb));
        add(task, "state", Tasks.state(ca), Tasks.state(cb));
        add(task, "ppid", pa.getPpid(), pb.getPpid());
        add(task, "pgid", pa.getPgid(), pb.getPgid());
        add(task, "sid", pa.getSid(), pb.getSid());
        TaskCoreEntry ta = ca.hasTc() ? ca.getTc() : null;
        TaskCoreEntry tb = cb.hasTc() ? cb.getTc() : null;
        if (ta != null && tb != null) {
            task.addAll(MessageDiff.of("", ta, tb, Set.of("comm", "task_state", "rlimits", "sigactions", "signals_s",
                    "blk_sigset", "blk_sigset_extended")));
        }
        if (a.hasMm(pid) && b.hasMm(pid)) {
            MmEntry ma = a.mm(pid);
            MmEntry mb = b.mm(pid);
            add(task, "exe", a.names().path(ma.getExeFileId()), b.names().path(mb.getExeFileId()));
            task.addAll(MessageDiff.of("mm", ma, mb, Set.of("vmas", "exe_file_id")));
        }
        Optional<FsEntry> fa = a.fs(pid);
        Optional<FsEntry> fb = b.fs(pid);
        add(task, "cwd", fa.map(f -> a.names().path(f.getCwdId())).orElse(null), fb.map(f -> b.names().path(f.getCwdId())).orElse(null));
        add(task, "root", fa.map(f -> a.names().path(f.getRootId())).orElse(null), fb.map(f -> b.names().path(f.getRootId())).orElse(null));
        add(task, "umask", fa.filter(FsEntry::hasUmask).map(f -> String.format("%04o", f.getUmask())).orElse(null),
                fb.filter(FsEntry::hasUmask).map(f -> String.format("%04o", f.getUmask())).orElse(null));

        List<Integer> threadsA = Dump.threads(pa);
        List<Integer> threadsB = Dump.threads(pb);
        List<Integer> tAdded = threadsB.stream().filter(t -> !threadsA.contains(t)).sorted().toList();
        List<Integer> tRemoved = threadsA.stream().filter(t -> !threadsB.contains(t)).sorted().toList();
        List<ProcessDiff.ThreadDiff> threads = new ArrayList<>();
        for (int tid : threadsA.stream().filter(threadsB::contains).sorted().toList()) {
            ProcessDiff.ThreadDiff td = thread(tid, tid == pid, a.core(tid), b.core(tid));
            if (!td.registers().isEmpty() || !td.state().isEmpty()) {
                threads.add(td);
            }
        }

        List<Change> creds = new ArrayList<>();
        CredsEntry cra = ca.hasThreadCore() && ca.getThreadCore().hasCreds() ? ca.getThreadCore().getCreds() : null;
        CredsEntry crb = cb.hasThreadCore() && cb.getThreadCore().hasCreds() ? cb.getThreadCore().getCreds() : null;
        if (cra != null || crb != null) {
            creds.addAll(MessageDiff.of("", cra == null ? CredsEntry.getDefaultInstance() : cra,
                    crb == null ? CredsEntry.getDefaultInstance() : crb, Set.of()));
        }

        return new ProcessDiff(pid, Tasks.comm(cb), List.copyOf(task), tAdded, tRemoved, List.copyOf(threads),
                vmas(a, b, pid), pages(a, b, pid), fds(a, b, pid), List.copyOf(creds), rlimits(ta, tb), signals(ta, tb));
    }

    static ProcessDiff.ThreadDiff thread(int tid, boolean leader, CoreEntry a, CoreEntry b) {
        List<Change> regs = new ArrayList<>();
        if (a.hasThreadInfo() || b.hasThreadInfo()) {
            for (Change c : MessageDiff.of("", a.getThreadInfo(), b.getThreadInfo(), Set.of())) {
                regs.add(new Change(registerName(c.field()), c.before(), c.after()));
            }
        }
        List<Change> state = new ArrayList<>();
        ThreadCoreEntry ta = a.getThreadCore();
        ThreadCoreEntry tb = b.getThreadCore();
        state.addAll(MessageDiff.of("", ta, tb, leader ? Set.of("creds", "blk_sigset", "signals_p", "blk_sigset_extended")
                : Set.of("blk_sigset", "signals_p", "blk_sigset_extended")));
        add(state, "blocked", Tasks.sigset(ta.getBlkSigset()), Tasks.sigset(tb.getBlkSigset()));
        add(state, "pending", pending(ta.hasSignalsP() ? ta.getSignalsP() : null), pending(tb.hasSignalsP() ? tb.getSignalsP() : null));
        return new ProcessDiff.ThreadDiff(tid, List.copyOf(regs), VectorRegisters.count(b), List.copyOf(state));
    }

    private static final Pattern REPEATED = Pattern.compile(
            "fpregs\\.(?:xsave\\.)?(xmm_space|st_space|ymmh_space|zmm_upper|hi16_zmm|opmask_reg)\\[(\\d+)]");

    /**
     * {@code gpregs.ip} → {@code ip}; {@code fpregs.xmm_space[5]} → {@code xmm1[1]} (32-bit words of a
     * register), {@code ymm1.hi[1]} (the upper 128 bits, 32-bit words), {@code zmm1.hi[1]} (the upper
     * 256 bits of zmm0-15, 64-bit words), {@code zmm17[1]} (zmm16-31, 64-bit words), {@code k2} (opmask).
     */
    static String registerName(String path) {
        Matcher m = REPEATED.matcher(path);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(2));
            return switch (m.group(1)) {
                case "xmm_space" -> "xmm" + i / 4 + "[" + i % 4 + "]";
                case "st_space" -> "st" + i / 4 + "[" + i % 4 + "]";
                case "ymmh_space" -> "ymm" + i / 4 + ".hi[" + i % 4 + "]";
                case "zmm_upper" -> "zmm" + i / 4 + ".hi[" + i % 4 + "]";
                case "hi16_zmm" -> "zmm" + (16 + i / 8) + "[" + i % 8 + "]";
                default -> "k" + i;
            };
        }
        if (path.startsWith("gpregs.")) {
            return path.substring("gpregs.".length());
        }
        if (path.startsWith("fpregs.")) {
            return "fpu." + path.substring("fpregs.".length());
        }
        return path;
    }

    static ProcessDiff.VmaDiff vmas(Dump a, Dump b, int pid) {
        MmEntry ma = a.hasMm(pid) ? a.mm(pid) : null;
        MmEntry mb = b.hasMm(pid) ? b.mm(pid) : null;
        List<VmaEntry> va = ma != null ? ma.getVmasList() : List.of();
        List<VmaEntry> vb = mb != null ? mb.getVmasList() : List.of();
        Map<Long, VmaEntry> byStartB = new HashMap<>();
        Map<Long, VmaEntry> byEndB = new HashMap<>();
        vb.forEach(v -> {
            byStartB.put(v.getStart(), v);
            byEndB.put(v.getEnd(), v);
        });
        Set<VmaEntry> matchedB = new java.util.HashSet<>();
        List<ProcessDiff.Vma> removed = new ArrayList<>();
        List<ProcessDiff.VmaChange> changed = new ArrayList<>();
        for (VmaEntry x : va) {
            VmaEntry y = byStartB.get(x.getStart());
            if (y == null || matchedB.contains(y)) {
                // a stack grows down: same end, new start
                y = byEndB.get(x.getEnd());
            }
            if (y == null || matchedB.contains(y)) {
                removed.add(vma(a, ma, x));
                continue;
            }
            matchedB.add(y);
            List<Change> c = new ArrayList<>();
            add(c, "start", hex(x.getStart()), hex(y.getStart()));
            if (x.getEnd() != y.getEnd()) {
                c.add(new Change("end", hex(x.getEnd()), hex(y.getEnd()) + " (" + Human.delta((y.getEnd() - y.getStart())
                        - (x.getEnd() - x.getStart())) + ")"));
            }
            add(c, "prot", FileNames.prot(x), FileNames.prot(y));
            add(c, "status", FileNames.status(x.getStatus()), FileNames.status(y.getStatus()));
            add(c, "flags", hex(x.getFlags()), hex(y.getFlags()));
            add(c, "file", a.names().vma(ma, x), b.names().vma(mb, y));
            add(c, "pgoff", hex(x.getPgoff()), hex(y.getPgoff()));
            add(c, "madv", hex(x.getMadv()), hex(y.getMadv()));
            if (!c.isEmpty()) {
                changed.add(new ProcessDiff.VmaChange(y.getStart(), y.getEnd(), b.names().vma(mb, y), List.copyOf(c)));
            }
        }
        List<ProcessDiff.Vma> added = vb.stream().filter(v -> !matchedB.contains(v)).map(v -> vma(b, mb, v)).toList();
        Comparator<ProcessDiff.Vma> byAddr = (p, q) -> Long.compareUnsigned(p.start(), q.start());
        removed.sort(byAddr);
        changed.sort((p, q) -> Long.compareUnsigned(p.start(), q.start()));
        return new ProcessDiff.VmaDiff(added.stream().sorted(byAddr).toList(), List.copyOf(removed), List.copyOf(changed));
    }

    private static ProcessDiff.Vma vma(Dump d, MmEntry mm, VmaEntry v) {
        return new ProcessDiff.Vma(v.getStart(), v.getEnd(), FileNames.prot(v), d.names().vma(mm, v));
    }

    static PageDiff pages(Dump a, Dump b, int pid) {
        if (!a.hasMemory(pid) || !b.hasMemory(pid)) {
            return PageDiff.NONE;
        }
        MmEntry mmA = a.hasMm(pid) ? a.mm(pid) : null;
        MmEntry mmB = b.hasMm(pid) ? b.mm(pid) : null;
        List<VmaEntry> vb = mmB != null ? mmB.getVmasList() : List.of();
        List<VmaEntry> va = mmA != null ? mmA.getVmasList() : List.of();
        try (ProcessMemory ma = a.memory(pid); ProcessMemory mb = b.memory(pid)) {
            // a range is named by its first page: for a file mapping, that page's offset in the file
            return new PageComparer(ma, mb, addr -> {
                VmaEntry v = VmaLookup.containing(vb, addr);
                if (v != null) {
                    String n = b.names().vmaAt(mmB, v, addr);
                    return n.isEmpty() ? "anonymous " + FileNames.prot(v) : n;
                }
                v = VmaLookup.containing(va, addr);
                return v == null ? "(no mapping)" : a.names().vmaAt(mmA, v, addr);
            }).compare();
        }
    }


    static ProcessDiff.FdDiff fds(Dump a, Dump b, int pid) {
        Map<Integer, FdsView.Fd> fa = new TreeMap<>();
        Map<Integer, FdsView.Fd> fb = new TreeMap<>();
        for (FdinfoEntry e : a.fds(pid)) {
            fa.put(e.getFd(), fdOf(a, e));
        }
        for (FdinfoEntry e : b.fds(pid)) {
            fb.put(e.getFd(), fdOf(b, e));
        }
        List<ProcessDiff.Fd> added = new ArrayList<>();
        List<ProcessDiff.Fd> removed = new ArrayList<>();
        List<ProcessDiff.FdChange> changed = new ArrayList<>();
        for (var e : fa.entrySet()) {
            FdsView.Fd x = e.getValue();
            FdsView.Fd y = fb.get(e.getKey());
            if (y == null) {
                removed.add(new ProcessDiff.Fd(x.fd(), x.type(), x.name()));
                continue;
            }
            List<Change> c = new ArrayList<>();
            add(c, "type", x.type(), y.type());
            add(c, "target", x.name(), y.name());
            add(c, "pos", x.pos() == null ? null : Long.toUnsignedString(x.pos()), y.pos() == null ? null : Long.toUnsignedString(y.pos()));
            add(c, "flags", x.flags(), y.flags());
            add(c, "cloexec", x.cloexec(), y.cloexec());
            if (!c.isEmpty()) {
                changed.add(new ProcessDiff.FdChange(x.fd(), y.name(), List.copyOf(c)));
            }
        }
        for (var e : fb.entrySet()) {
            if (!fa.containsKey(e.getKey())) {
                FdsView.Fd y = e.getValue();
                added.add(new ProcessDiff.Fd(y.fd(), y.type(), y.name()));
            }
        }
        return new ProcessDiff.FdDiff(List.copyOf(added), List.copyOf(removed), List.copyOf(changed));
    }

    private static FdsView.Fd fdOf(Dump d, FdinfoEntry e) {
        return dev.jcr.show.explore.FdsView.fd(d, e);
    }

    static List<Change> rlimits(TaskCoreEntry a, TaskCoreEntry b) {
        List<Change> out = new ArrayList<>();
        List<RlimitEntry> ra = a != null && a.hasRlimits() ? a.getRlimits().getRlimitsList() : List.of();
        List<RlimitEntry> rb = b != null && b.hasRlimits() ? b.getRlimits().getRlimitsList() : List.of();
        for (int i = 0; i < Math.max(ra.size(), rb.size()); i++) {
            add(out, Tasks.rlimit(i), i < ra.size() ? limit(ra.get(i)) : null, i < rb.size() ? limit(rb.get(i)) : null);
        }
        return List.copyOf(out);
    }

    private static String limit(RlimitEntry r) {
        return Tasks.limit(r.getCur()) + " / " + Tasks.limit(r.getMax());
    }

    static List<Change> signals(TaskCoreEntry a, TaskCoreEntry b) {
        List<Change> out = new ArrayList<>();
        if (a == null || b == null) {
            return out;
        }
        for (int i = 0; i < Math.max(a.getSigactionsCount(), b.getSigactionsCount()); i++) {
            add(out, Tasks.signal(Tasks.sigactionSignal(i)), i < a.getSigactionsCount() ? action(a.getSigactions(i)) : null,
                    i < b.getSigactionsCount() ? action(b.getSigactions(i)) : null);
        }
        add(out, "blocked", Tasks.sigset(a.getBlkSigset()), Tasks.sigset(b.getBlkSigset()));
        add(out, "pending (process)", pending(a.hasSignalsS() ? a.getSignalsS() : null), pending(b.hasSignalsS() ? b.getSignalsS() : null));
        return List.copyOf(out);
    }

    /** A handler in words: SIG_DFL, SIG_IGN, or the handler address with flags and mask. */
    static String action(SaEntry sa) {
        long h = sa.getSigaction();
        String what = h == 0 ? "SIG_DFL" : h == 1 ? "SIG_IGN" : "handler 0x" + Long.toHexString(h);
        if (h > 1) {
            what += String.format(" flags 0x%x", sa.getFlags());
            if (sa.getMask() != 0) {
                what += " mask " + Tasks.sigset(sa.getMask());
            }
        }
        return what;
    }

    /** Pending signals by name (from each queued siginfo's si_signo), or none. */
    static String pending(SignalQueueEntry q) {
        if (q == null || q.getSignalsCount() == 0) {
            return "none";
        }
        List<String> all = new ArrayList<>();
        for (SiginfoEntry s : q.getSignalsList()) {
            ByteString b = s.getSiginfo();
            int signo = b.size() >= 4 ? (b.byteAt(0) & 0xff) | (b.byteAt(1) & 0xff) << 8 | (b.byteAt(2) & 0xff) << 16 | (b.byteAt(3) & 0xff) << 24 : 0;
            all.add(Tasks.signal(signo));
        }
        all.sort(null);
        return String.join(",", all);
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    private static void add(List<Change> out, String field, Object before, Object after) {
        String x = before == null ? "(none)" : before.toString();
        String y = after == null ? "(none)" : after.toString();
        if (!Objects.equals(x, y)) {
            out.add(new Change(field, x, y));
        }
    }
}
