package io.ferrite.server.rdb;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

/**
 * DUMP payloads captured from a real Redis 7.0.15 ({@code SET k <value>} then {@code DUMP k}),
 * for byte-exact comparison with Ferrite's encoder and decoding tests.
 */
public final class RedisVectors {
    /** A value and the exact payload Redis 7.0 answered for it. */
    public record Vector(byte[] value, byte[] payload) {
        /** The value for assertion messages, shortened. */
        public String text() {
            String text = new String(value, StandardCharsets.ISO_8859_1);
            return text.length() <= 24 ? text : text.substring(0, 24) + "... (" + text.length() + " bytes)";
        }
    }

    /**
     * Large values, checked by length and footer (version + CRC-64 of the whole payload,
     * which pins every byte) rather than hard-coded in full.
     */
    public record LargeVector(String name, byte[] value, int payloadLength, String footerHex) {}

    public static final List<Vector> SMALL = List.of(
            vector("",
                    "00000a005d9b5c400f7fa2da"),
            vector("a",
                    "0001610a00bffeef9b8f367db4"),
            vector("hello",
                    "000568656c6c6f0a006372df766534200a"),
            vector("0",
                    "00c0000a009840a778f8500308"),
            vector("-1",
                    "00c0ff0a000c937e2485089dc5"),
            vector("127",
                    "00c07f0a000db5eb315254c514"),
            vector("-128",
                    "00c0800a009966326d2f0c5bd9"),
            vector("128",
                    "00c180000a00eb7ab3b510cf4b65"),
            vector("-129",
                    "00c17fff0a001760822854808480"),
            vector("32767",
                    "00c1ff7f0a00495a37da17f4d52b"),
            vector("-32768",
                    "00c100800a00b540064753bb1ace"),
            vector("32768",
                    "00c2008000000a0045d82eedd5bda910"),
            vector("2147483647",
                    "00c2ffffff7f0a002c74e59ee02eada1"),
            vector("-2147483648",
                    "00c2000000800a00c74f873e33558187"),
            vector("2147483648",
                    "000a323134373438333634380a00e7b129a34c1d76ee"),
            vector("9223372036854775807",
                    "0013393232333337323033363835343737353830370a003a657e9481e85f22"),
            vector("01",
                    "000230310a006cddc441144c7da4"),
            vector("-0",
                    "00022d300a00d5411fd9d6d050cc"),
            vector("+1",
                    "00022b310a00c286f0d7439aee6f"),
            vector(" 1",
                    "000220310a003fe5791ae5defb1b"),
            vector("x".repeat(63),
                    "00c3093f017878e032000178780a0072a017a560edf6e5"),
            vector("x".repeat(64),
                    "00c3094040017878e033000178780a007671d576c5795442"),
            vector("a".repeat(20),
                    "001461616161616161616161616161616161616161610a0083b46b5e1b11acf1"),
            vector("a".repeat(21),
                    "00c30615016161e00a000a00fd0cb36807413f68"),
            vector("abc".repeat(8),
                    "00c30a180361626361e00a0200630a007fc3e2201281166e"),
            vector("Hello, World! ".repeat(30),
                    "00c31941a40e48656c6c6f2c20576f726c64212048e0ff0de182090121200a0021783498e6058444"),
            vector("x".repeat(20000),
                    "00c340ea8000004e20017878" + "e0ff00".repeat(75) + "e0bb000178780a00b8458d98cf7cab3a"),
            new Vector(ramp(),
                    hex("00c3411642581f000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f1f2021"
                            + "22232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f1f40414243444546474849"
                            + "4a4b4c4d4e4f505152535455565758595a5b5c5d5e5f1f606162636465666768696a6b6c6d6e6f7071"
                            + "72737475767778797a7b7c7d7e7f1f808182838485868788898a8b8c8d8e8f90919293949596979899"
                            + "9a9b9c9d9e9f1fa0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf1fc0"
                            + "c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf1fe0e1e2e3e4e5e6e7e8"
                            + "e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff0000e022ffe0232be1f52b012a2b0a00d496"
                            + "63c19f924410")));

    public static final List<LargeVector> LARGE = List.of(
            new LargeVector("1 MiB of 'a'", "a".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII),
                    11941, "0a005fc3868296952691"),
            new LargeVector("0,1,2,...,199999,", numbers(200_000), 556175, "0a0005e197b220c17321"),
            new LargeVector("16 KiB random", xorshift(16384), 16400, "0a008a6dc6e4451bdf9a"),
            new LargeVector("1 MiB random", xorshift(1 << 20), 1048592, "0a001d2d6e7e395cac56"));

    private RedisVectors() {}

    /** Bytes 0..255, 0..43, twice: literal runs, a long back reference and a short one. */
    static byte[] ramp() {
        byte[] once = new byte[300];
        for (int i = 0; i < once.length; i++) {
            once[i] = (byte) i;
        }
        byte[] twice = new byte[600];
        System.arraycopy(once, 0, twice, 0, 300);
        System.arraycopy(once, 0, twice, 300, 300);
        return twice;
    }

    /** "0,1,2,...,(n-1)," */
    static byte[] numbers(int n) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < n; i++) {
            text.append(i).append(',');
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Incompressible bytes from xorshift64 (13, 7, 17), the same generator the capture used. */
    public static byte[] xorshift(int length) {
        long x = 0x9E3779B97F4A7C15L;
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            out[i] = (byte) x;
        }
        return out;
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static Vector vector(String value, String payloadHex) {
        return new Vector(value.getBytes(StandardCharsets.US_ASCII), hex(payloadHex));
    }
}
