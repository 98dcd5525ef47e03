package dev.jcr.show;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Byte encodings of crit's JSON: Python's {@code base64.encodebytes} (76-character lines, each
 * ending in a newline) and {@code quopri} quoted-printable (unix socket names), both directions.
 */
public final class PyCodecs {

    private static final Base64.Encoder MIME = Base64.getMimeEncoder(76, new byte[] {'\n'});
    private static final Base64.Decoder LENIENT = Base64.getMimeDecoder();
    private static final int MAX_LINE = 76;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private PyCodecs() {
    }

    /** Python's base64.encodebytes(b).decode(). */
    public static String encodeBytes(byte[] b) {
        if (b.length == 0) {
            return "";
        }
        return MIME.encodeToString(b) + "\n";
    }

    /** Python's base64.decodebytes: ignores newlines and other characters outside the alphabet. */
    public static byte[] decodeBytes(String s) {
        return LENIENT.decode(s);
    }

    /** Python's quopri.encodestring (binascii.b2a_qp with quotetabs=False, istext=True). */
    public static String encodeQp(byte[] data) {
        int len = data.length;
        boolean crlf = false;
        for (int i = 0; i < len; i++) {
            if (data[i] == '\n') {
                crlf = i > 0 && data[i - 1] == '\r';
                break;
            }
        }
        StringBuilder out = new StringBuilder(len + 16);
        int linelen = 0;
        int in = 0;
        while (in < len) {
            int c = data[in] & 0xff;
            boolean encode = c > 126 || c == '='
                    || (c == '.' && linelen == 0 && (in + 1 == len || data[in + 1] == '\n' || data[in + 1] == '\r' || data[in + 1] == 0))
                    || ((c == '\t' || c == ' ') && in + 1 == len)
                    || (c < 33 && c != '\r' && c != '\n' && c != '\t' && c != ' ');
            if (encode) {
                if (linelen + 3 >= MAX_LINE) {
                    out.append('=');
                    if (crlf) {
                        out.append('\r');
                    }
                    out.append('\n');
                    linelen = 0;
                }
                out.append('=').append(HEX[c >> 4]).append(HEX[c & 15]);
                in++;
                linelen += 3;
            } else if (c == '\n' || (in + 1 < len && c == '\r' && data[in + 1] == '\n')) {
                linelen = 0;
                int last = out.length() - 1;
                if (last >= 0 && (out.charAt(last) == ' ' || out.charAt(last) == '\t')) {
                    char ch = out.charAt(last);
                    out.setCharAt(last, '=');
                    out.append(HEX[ch >> 4]).append(HEX[ch & 15]);
                }
                if (crlf) {
                    out.append('\r');
                }
                out.append('\n');
                in += c == '\r' ? 2 : 1;
            } else {
                if (in + 1 != len && data[in + 1] != '\n' && linelen + 1 >= MAX_LINE) {
                    out.append('=');
                    if (crlf) {
                        out.append('\r');
                    }
                    out.append('\n');
                    linelen = 0;
                }
                linelen++;
                out.append((char) c);
                in++;
            }
        }
        return out.toString();
    }

    /** Python's quopri.decodestring (binascii.a2b_qp). */
    public static byte[] decodeQp(String s) {
        byte[] in = s.getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        int i = 0;
        while (i < in.length) {
            if (in[i] == '=') {
                i++;
                if (i >= in.length) {
                    break;
                }
                if (in[i] == '\n' || in[i] == '\r') {
                    if (in[i] != '\n') {
                        while (i < in.length && in[i] != '\n') {
                            i++;
                        }
                    }
                    if (i < in.length) {
                        i++;
                    }
                } else if (in[i] == '=') {
                    out.write('=');
                    i++;
                } else if (i + 1 < in.length && hex(in[i]) >= 0 && hex(in[i + 1]) >= 0) {
                    out.write(hex(in[i]) << 4 | hex(in[i + 1]));
                    i += 2;
                } else {
                    out.write('=');
                }
            } else {
                out.write(in[i]);
                i++;
            }
        }
        return out.toByteArray();
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }
}
