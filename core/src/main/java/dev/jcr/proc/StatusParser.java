package dev.jcr.proc;

/** Parses /proc/PID/status and /proc/PID/task/TID/status ("Key:\tvalue" lines, proc(5)). */
public final class StatusParser {

    /** The fields of status that jcr uses. {@code kthread} is null on kernels without the Kthread line. */
    public record Status(String name, char state, long tgid, long ppid, long tracerPid, Ids uids, Ids gids,
            int threads, long vmRssKb, long vmSizeKb, SignalMasks signals, long capEffective, int seccomp,
            Boolean kthread) {
    }

    private StatusParser() {
    }

    public static Status parse(String path, String text) {
        String name = null;
        char state = 0;
        long tgid = -1;
        long ppid = -1;
        long tracer = -1;
        Ids uids = null;
        Ids gids = null;
        int threads = 0;
        long rss = 0;
        long size = 0;
        long sigPnd = 0;
        long shdPnd = 0;
        long sigBlk = 0;
        long sigIgn = 0;
        long sigCgt = 0;
        long capEff = 0;
        int seccomp = 0;
        Boolean kthread = null;
        int lineNo = 0;
        int pos = 0;
        int len = text.length();
        while (pos < len) {
            int eol = text.indexOf('\n', pos);
            if (eol < 0) {
                eol = len;
            }
            lineNo++;
            int colon = text.indexOf(':', pos);
            if (colon < 0 || colon > eol) {
                if (eol > pos) {
                    throw new ProcParseException(path, lineNo, "no 'Key:' in '" + text.substring(pos, eol) + "'");
                }
                pos = eol + 1;
                continue;
            }
            String key = text.substring(pos, colon);
            int vs = colon + 1;
            // Name keeps its inner spaces but not the separating tab
            while (vs < eol && (text.charAt(vs) == '\t' || text.charAt(vs) == ' ')) {
                vs++;
            }
            String value = text.substring(vs, eol);
            switch (key) {
                case "Name" -> name = unescapeName(value);
                case "State" -> state = value.isEmpty() ? 0 : value.charAt(0);
                case "Tgid" -> tgid = num(path, lineNo, key, value);
                case "PPid" -> ppid = num(path, lineNo, key, value);
                case "TracerPid" -> tracer = num(path, lineNo, key, value);
                case "Uid" -> uids = ids(path, lineNo, key, value);
                case "Gid" -> gids = ids(path, lineNo, key, value);
                case "Threads" -> threads = (int) num(path, lineNo, key, value);
                case "VmRSS" -> rss = kb(path, lineNo, key, value);
                case "VmSize" -> size = kb(path, lineNo, key, value);
                case "SigPnd" -> sigPnd = hex(path, lineNo, key, value);
                case "ShdPnd" -> shdPnd = hex(path, lineNo, key, value);
                case "SigBlk" -> sigBlk = hex(path, lineNo, key, value);
                case "SigIgn" -> sigIgn = hex(path, lineNo, key, value);
                case "SigCgt" -> sigCgt = hex(path, lineNo, key, value);
                case "CapEff" -> capEff = hex(path, lineNo, key, value);
                case "Seccomp" -> seccomp = (int) num(path, lineNo, key, value);
                case "Kthread" -> kthread = num(path, lineNo, key, value) != 0;
                default -> {
                    // other lines are not needed
                }
            }
            pos = eol + 1;
        }
        if (name == null || state == 0 || tgid < 0 || ppid < 0 || uids == null || gids == null || tracer < 0) {
            throw new ProcParseException(path, 0, "missing one of Name, State, Tgid, PPid, TracerPid, Uid, Gid");
        }
        return new Status(name, state, tgid, ppid, tracer, uids, gids, threads, rss, size,
                new SignalMasks(sigPnd, shdPnd, sigBlk, sigIgn, sigCgt), capEff, seccomp, kthread);
    }

    /** status escapes '\n' and '\\' in Name. */
    private static String unescapeName(String v) {
        if (v.indexOf('\\') < 0) {
            return v;
        }
        return v.replace("\\n", "\n").replace("\\\\", "\\");
    }

    private static long num(String path, int line, String key, String v) {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, line, key + " is '" + v + "', not a number");
        }
    }

    private static long kb(String path, int line, String key, String v) {
        String t = v.trim();
        if (!t.endsWith(" kB")) {
            throw new ProcParseException(path, line, key + " is '" + v + "', not 'N kB'");
        }
        return num(path, line, key, t.substring(0, t.length() - 3));
    }

    private static long hex(String path, int line, String key, String v) {
        try {
            return Long.parseUnsignedLong(v.trim(), 16);
        } catch (NumberFormatException e) {
            throw new ProcParseException(path, line, key + " is '" + v + "', not hexadecimal");
        }
    }

    private static Ids ids(String path, int line, String key, String v) {
        String[] f = v.trim().split("\\s+");
        if (f.length != 4) {
            throw new ProcParseException(path, line, key + " has " + f.length + " ids, expected 4");
        }
        return new Ids(num(path, line, key, f[0]), num(path, line, key, f[1]), num(path, line, key, f[2]),
                num(path, line, key, f[3]));
    }
}
