package dev.jcr.image;

import com.google.protobuf.Descriptors.Descriptor;

/** CRIU's names for jcr's message types: {@code UserX86RegsEntry} is CRIU's {@code user_x86_regs_entry}. */
public final class ProtoNames {

    private ProtoNames() {
    }

    /** The snake_case name CRIU and crit use for a message type. */
    public static String criuName(Descriptor d) {
        String n = d.getName();
        StringBuilder sb = new StringBuilder(n.length() + 8);
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
