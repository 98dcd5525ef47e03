package dev.jcr.proc;

/**
 * Device numbers as the kernel encodes them in dev_t, and the names of the devices jcr has to talk
 * about (terminals, the memory devices). Names follow devices.txt in the kernel documentation.
 */
public final class Devices {

    private Devices() {
    }

    /** Major number of a (new-style, 64-bit) dev_t. */
    public static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    /** Minor number of a (new-style, 64-bit) dev_t. */
    public static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    public static boolean isPtySlave(int major) {
        return major >= 136 && major <= 143;
    }

    /** N of /dev/pts/N for a pty slave's device numbers. */
    public static int ptyIndex(int major, int minor) {
        return (major - 136) * 256 + minor;
    }

    public static boolean isPtyMaster(int major, int minor) {
        return major == 5 && minor == 2;
    }

    /** Virtual consoles, serial ports, /dev/tty and /dev/console. */
    public static boolean isTty(int major, int minor) {
        return major == 4 || (major == 5 && (minor == 0 || minor == 1));
    }

    /** The canonical /dev name of a character device jcr knows, or null. */
    public static String charDeviceName(int major, int minor) {
        if (major == 1) {
            return switch (minor) {
                case 1 -> "/dev/mem";
                case 3 -> "/dev/null";
                case 5 -> "/dev/zero";
                case 7 -> "/dev/full";
                case 8 -> "/dev/random";
                case 9 -> "/dev/urandom";
                case 11 -> "/dev/kmsg";
                default -> null;
            };
        }
        if (isPtySlave(major)) {
            return "/dev/pts/" + ptyIndex(major, minor);
        }
        if (major == 5) {
            return switch (minor) {
                case 0 -> "/dev/tty";
                case 1 -> "/dev/console";
                case 2 -> "/dev/ptmx";
                default -> null;
            };
        }
        if (major == 4) {
            return minor < 64 ? "/dev/tty" + minor : "/dev/ttyS" + (minor - 64);
        }
        return null;
    }

    /** The name of the controlling terminal in stat's tty_nr, or null when there is none. */
    public static String ttyName(int ttyNr) {
        if (ttyNr == 0) {
            return null;
        }
        // tty_nr packs major in bits 15..8 and minor in bits 31..20 and 7..0
        int major = (ttyNr >>> 8) & 0xff;
        int minor = (ttyNr & 0xff) | ((ttyNr >>> 12) & 0xfff00);
        String name = charDeviceName(major, minor);
        return name != null ? name : "tty " + major + ":" + minor;
    }
}
