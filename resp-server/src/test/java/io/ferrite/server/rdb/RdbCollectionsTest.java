package io.ferrite.server.rdb;

import static io.ferrite.server.rdb.RedisVectors.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ferrite.core.api.CollectionImage;
import io.ferrite.core.api.CollectionImage.Encoding;
import io.ferrite.core.api.ValueType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * DUMP and RESTORE of hashes and sets, checked against a real Redis 7.0.15: the DUMP replies it
 * gave for known commands, and what its RESTORE did with hand-made payloads (accepted with
 * which encoding, or "ERR Bad data format" with sanitize-dump-payload on).
 */
class RdbCollectionsTest {
    // §8: complete DUMP replies of Redis 7.0.15.
    private static final String H_SMALL = "1022220000000400846e616d6505876665727269746508846c616e6705846a61766105ff0a00bc09ffd3a7eaae58";
    private static final String H_INTS = "102c2c00000008000101dffb028362696704f4141a99be1c000000098330303704822d3003822b350382203103ff"
            + "0a0019f098e2df652ec1";
    private static final String H_RANGES = "10c3408040911f9100000014007f01c08002cfff02f1001003d00002f1ffef03f1ff7f03f20080110004f1008003"
            + "f2ff7fff04f2ffff7f04f30020130105f220050204f3ff20100105f4204000802003010009201a03008005f420154000167f0993393232333337"
            + "3230333638353437373538303814402e4000038009942de0091f023915ff0a00d0d2012977cc629a";
    private static final String H_LONG = "04010166c3094046017878e039000178780a003e6c955f2e52e7c1";
    private static final String H_64 = "10c313404d0b4d0000000200816602e04079e036000142ff0a00766dce156296bd5d";
    private static final String H_EMPTY = "101111000000040081650280018001817602ff0a009e54151b9ffde8e8";
    private static final String H_LZF = "10c316380e380000000200856669656c6406a861e01e000129ff0a00a4fda89cbac0c9b9";
    /** Two captures of the same hashtable hash: the order differs between processes. */
    private static final List<String> H_HTINTS = List.of(
            "0405036e36340b3132333435363738393031036e3136c1e803036e3332c26079feff026e38c0f9036c7a66c3094046017a7ae03900017a7a"
                    + "0a0080efef529a30f559",
            "0405036e36340b3132333435363738393031036e3332c26079feff036e3136c1e803026e38c0f9036c7a66c3094046017a7ae03900017a7a"
                    + "0a006a53a984ec634287");
    private static final String S_123 = "0b0e02000000030000000100020003000a00a5025ce26d6e4d1b";
    private static final String S_I32 = "0b14040000000300000090eefeff01000000050000000a0027439a923575b197";
    private static final String S_I64 = "0b200800000003000000fdffffffffffffff010000000000000000f2052a010000000a0088f89414e0bcb85d";
    private static final String S_SHRUNK = "0b180800000002000000fdffffffffffffff01000000000000000a00143ec8133e220b96";
    private static final String S_ABC = "02030161016301620a000d7e8a014cfe326c";
    private static final List<String> S_MIXED = List.of(
            "0204c12c01c0010178c2701101000a00df35dde11dfdaedd",
            "0204c12c010178c270110100c0010a006547f9560bed494b");
    private static final String S_NEG0 = "0201022d300a00650d018c92789fea";
    private static final String S_600 =
            "024258c032c10802c1ae01c1a001c13d02c070c13001c024c11401c1e500c06ac01bc16a01c12601c11701c1bc00c18100c10302c1ad00c1"
            + "7401c04cc041c19001c1f301c15002c1fd01c13301c050c14501c1e300c18c01c1e201c13f02c1c100c14001c1a201c17301c1c600c11602"
            + "c19401c073c12a01c11b01c19800c1dc00c11c01c19201c062c051c1e401c1f200c035c069c17b01c1ea00c1e601c19901c1dc01c18901c1"
            + "8300c1f701c1d301c1e900c1ec01c04ac14601c1ed01c047c1e701c030c1c501c19a01c18d00c17101c03fc15c01c1c000c06bc18d01c1cc"
            + "00c16401c01fc14c02c17601c1c500c1b301c011c1fa00c1f800c16e01c012c12d02c19700c16701c18900c18701c1d501c1f601c19100c1"
            + "df01c1ee00c18001c1e400c06dc15b01c049c1e600c016c1a600c1f101c1d601c014c065c1e001c064c1b101c05bc13501c18200c007c12a"
            + "02c056c1d901c19500c12102c14201c19200c1a701c1d200c19801c1d400c1b600c13901c1c700c11702c14b01c18e00c1c601c15601c141"
            + "01c02bc14d02c006c1f901c1de00c1b700c12e02c19300c1a000c072c071c000c17801c020c1a901c1ab00c060c14401c02ac1cf00c002c1"
            + "4602c18301c1e801c10a01c1d201c13602c13601c10c01c1db00c13701c022c16f01c16901c1f801c068c13802c1a301c1e200c15501c1ac"
            + "00c039c15701c1b400c11501c1cc01c1ef01c1a401c061c11a02c1ad01c11901c1a101c19c00c1b801c00ac12002c10002c13101c19f00c0"
            + "4bc10f02c19900c19d00c15402c1fc00c1fc01c03cc1d101c004c055c1d001c12b01c12b02c15f01c1b501c1f401c10801c17a01c1c401c1"
            + "5502c075c10701c14102c1eb01c1d801c036c12d01c058c13801c1af01c1ea01c16d01c12301c03dc1a801c18a00c1ce01c1cb01c10b02c1"
            + "5001c1bb00c1d900c01ec11302c1bc01c00cc18600c044c10502c1e501c1a100c07ac054c14202c1ab01c10301c1da00c13702c1c001c134"
            + "01c13e01c19a00c15201c15102c14f01c19600c03bc015c1ed00c1c201c12502c18e01c1e901c14801c1da01c02ec13d01c1f700c11802c1"
            + "1301c14301c14901c11202c19601c19e00c17201c10a02c12402c17f01c042c11502c03ac18c00c1c900c05cc12f02c1a800c04fc1be01c0"
            + "6ec066c02fc1bd01c15101c12702c11b02c003c14a01c1f201c13302c12901c1ff00c11f02c052c18800c15e01c16201c063c1c301c10e02"
            + "c15202c19c01c14a02c04ec1fa01c16c01c1f500c11801c13402c13a02c1db01c11402c12101c1a700c17d01c033c031c009c10d01c1d100"
            + "c18500c027c18201c19501c13c02c12f01c013c15302c1a500c1a300c1d600c15801c18700c1a900c12c02c13b02c11a01c11c02c01cc046"
            + "c12001c17e01c19000c010c074c01dc1d701c18b00c1d000c10d02c12c01c18801c10201c077c1b401c12701c1bd00c1ff01c02cc16301c1"
            + "8601c1b701c05dc00bc1a601c1e100c18f01c1f001c001c16101c16501c02dc048c1b601c018c14c01c1f501c11d02c13902c03ec04dc1fb"
            + "00c1ac01c1cd01c1d700c13202c1b901c1a400c1e301c15d01c1a200c037c17c01c16801c1cb00c1aa00c1c901c12201c17901c059c19400"
            + "c11d01c1e101c10f01c14e01c1ee01c10902c00dc1f900c076c11e01c19d01c10702c1b200c1aa01c1c801c11101c10402c15401c1d401c1"
            + "4d01c11601c17501c11201c12202c078c19101c12801c13002c17701c13a01c14502c18401c14701c19701c12602c053c11902c1b000c1b2"
            + "01c1d800c019c1dd00c1c400c1c101c021c1a501c1be00c005c16b01c07cc1f300c1af00c1ba01c1c200c18f00c079c13b01c16001c1ca00"
            + "c1fb01c1bf01c1b500c18000c1c800c1fe01c1c300c1f000c07bc14902c14702c10b01c18400c13102c12802c10101c12401c1dd01c1eb00"
            + "c1b300c11002c1b001c12e01c05fc11102c1d500c13e02c06cc18a01c15901c11001c040c1f100c1ca01c19e01c05ac029c1cd00c14802c1"
            + "2902c18501c07fc19b00c10601c1ef00c00ec15a01c10102c1ce00c19f01c15301c06fc1cf01c1e800c1de01c10501c1ae00c10202c028c0"
            + "17c19b01c057c1ec00c026c1b100c008c1bf00c12302c034c15602c043c10e01c11e02c1e700c00fc10602c14002c19301c1fd00c1f400c1"
            + "bb01c17001c16601c05ec14302c07ec07dc10401c1b800c15702c14402c067c1f600c14f02c12501c10001c13f01c045c1c701c1d300c1ba"
            + "00c18101c13502c1b900c13c01c10c02c01ac14e02c13201c11f01c1fe00c10901c1df00c14b02c038c023c18b01c1e000c0250a00425670"
            + "96e8594a99";

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private static String hexOf(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** A RESTORE payload: {@code bodyHex} (type and object) with version 10 and its CRC. */
    private static byte[] payload(String bodyHex) {
        return DumpPayloadTest.payload(bodyHex, 10);
    }

    /** An RDB string holding {@code blob} raw: its length, then its bytes. */
    private static String raw(byte[] blob) {
        return hexOf(new RdbWriter(0).writeLength(blob.length).toByteArray()) + hexOf(blob);
    }

    /** An RDB string as Redis writes it: integer form, LZF or raw. */
    private static String rdbString(String s) {
        RdbWriter out = new RdbWriter(0);
        RdbStringCodec.write(out, bytes(s));
        return hexOf(out.toByteArray());
    }

    private static byte[] listpack(String... elements) {
        return Listpack.encode(Arrays.stream(elements).map(RdbCollectionsTest::bytes).toList());
    }

    private static CollectionImage restore(byte[] payload) throws RdbFormatException {
        assertThat(DumpPayload.verify(payload)).isTrue();
        return RdbCollections.decode(payload, RdbCollections.HASH_MAX_LISTPACK_ENTRIES, RdbCollections.HASH_MAX_LISTPACK_VALUE,
                RdbCollections.SET_MAX_INTSET_ENTRIES);
    }

    private static CollectionImage restore(String bodyHex) throws RdbFormatException {
        return restore(payload(bodyHex));
    }

    private static void assertRejected(String what, byte[] payload) {
        assertThatThrownBy(() -> RdbCollections.decode(payload, 512, 64, 512)).as(what).isInstanceOf(RdbFormatException.class);
    }

    private static void assertRejected(String what, String bodyHex) {
        assertRejected(what, payload(bodyHex));
    }

    private static List<String> elements(CollectionImage image) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < image.count(); i++) {
            out.add(text(Arrays.copyOfRange(image.data(), image.starts()[i], image.ends()[i])));
        }
        return out;
    }

    private static void assertImage(CollectionImage image, ValueType type, Encoding encoding, int width, String... elements) {
        assertThat(image.type()).isEqualTo(type);
        assertThat(image.encoding()).isEqualTo(encoding);
        assertThat(image.intsetWidth()).isEqualTo(width);
        assertThat(elements(image)).containsExactly(elements);
    }

    private static String dumpHash(boolean listpack, String... fieldsAndValues) {
        RdbCollections.HashDump dump = RdbCollections.hash(listpack, fieldsAndValues.length / 2);
        for (int i = 0; i < fieldsAndValues.length; i += 2) {
            MemorySegment f = MemorySegment.ofArray(bytes(fieldsAndValues[i]));
            MemorySegment v = MemorySegment.ofArray(bytes(fieldsAndValues[i + 1]));
            dump.entry(f, 0, f.byteSize(), v, 0, v.byteSize());
        }
        return hexOf(dump.finish());
    }

    private static String dumpSet(boolean intset, int width, String... members) {
        RdbCollections.SetDump dump = RdbCollections.set(intset, width, members.length);
        for (String member : members) {
            MemorySegment m = MemorySegment.ofArray(bytes(member));
            dump.member(m, 0, m.byteSize());
        }
        return hexOf(dump.finish());
    }

    /** DUMP of a decoded image, as Ferrite would answer after RESTORE (elements in image order). */
    private static String redump(CollectionImage image) {
        List<String> e = elements(image);
        if (image.type() == ValueType.HASH) {
            return dumpHash(image.encoding() == Encoding.PACKED, e.toArray(String[]::new));
        }
        boolean intset = image.encoding() == Encoding.PACKED && image.intsetWidth() > 0;
        return dumpSet(intset, image.intsetWidth(), e.toArray(String[]::new));
    }

    private static String[] numbered(String prefix, int n, String value) {
        String[] out = new String[value == null ? n : 2 * n];
        for (int i = 0; i < n; i++) {
            if (value == null) {
                out[i] = prefix + i;
            } else {
                out[2 * i] = prefix + i;
                out[2 * i + 1] = value;
            }
        }
        return out;
    }

    private static String setBody(String... members) {
        StringBuilder body = new StringBuilder("02").append(hexOf(new RdbWriter(0).writeLength(members.length).toByteArray()));
        for (String member : members) {
            body.append(rdbString(member));
        }
        return body.toString();
    }

    private static String hashBody(String... fieldsAndValues) {
        StringBuilder body = new StringBuilder("04")
                .append(hexOf(new RdbWriter(0).writeLength(fieldsAndValues.length / 2).toByteArray()));
        for (String s : fieldsAndValues) {
            body.append(rdbString(s));
        }
        return body.toString();
    }

    // ---- DUMP, byte for byte (§8.1, §8.2) ----

    @Test
    void dumpsListpackHashesExactlyAsRedis() {
        assertThat(dumpHash(true, "name", "ferrite", "lang", "java")).isEqualTo(H_SMALL);
        assertThat(dumpHash(true, "1", "-5", "big", "123456789012", "007", "-0", "+5", " 1")).isEqualTo(H_INTS);
        assertThat(dumpHash(true, "127", "128", "4095", "4096", "-4096", "-4097", "32767", "32768", "-32768", "-32769",
                "8388607", "8388608", "-8388608", "2147483647", "2147483648", "-2147483648", "9223372036854775807",
                "9223372036854775808", "-9223372036854775808", "-9223372036854775809")).isEqualTo(H_RANGES);
        assertThat(dumpHash(true, "f", "y".repeat(64))).isEqualTo(H_64);
        assertThat(dumpHash(true, "e", "", "", "v")).isEqualTo(H_EMPTY);
        assertThat(dumpHash(true, "field", "a".repeat(40))).isEqualTo(H_LZF);
    }

    @Test
    void dumpsHashtableHashesExactlyAsRedisInTheOrderGiven() {
        assertThat(dumpHash(false, "f", "x".repeat(70))).isEqualTo(H_LONG);
        assertThat(dumpHash(false, "n64", "12345678901", "n16", "1000", "n32", "-100000", "n8", "-7", "lzf", "z".repeat(70)))
                .isEqualTo(H_HTINTS.get(0));
    }

    @Test
    void dumpsIntsetsExactlyAsRedis() {
        assertThat(dumpSet(true, 2, "1", "2", "3")).isEqualTo(S_123);
        assertThat(dumpSet(true, 2, "3", "1", "2")).as("members are sorted").isEqualTo(S_123);
        assertThat(dumpSet(true, 4, "-70000", "1", "5")).isEqualTo(S_I32);
        assertThat(dumpSet(true, 8, "-3", "1", "5000000000")).isEqualTo(S_I64);
        assertThat(dumpSet(true, 8, "-3", "1")).as("the width is the one given").isEqualTo(S_SHRUNK);
        // 512 integers: the 1,032-byte blob is stored raw; length and CRC pin every byte.
        String s512 = dumpSet(true, 2, numbered("", 512, null));
        assertThat(s512.length() / 2).isEqualTo(1045);
        assertThat(s512).startsWith("0b440802000000000200000000010002").endsWith("fe01ff010a00723eb6bbd4ced087");
    }

    @Test
    void dumpsHashtableSetsExactlyAsRedisInTheOrderGiven() {
        assertThat(dumpSet(false, 0, "a", "c", "b")).isEqualTo(S_ABC);
        assertThat(dumpSet(false, 0, "300", "1", "x", "70000")).isEqualTo(S_MIXED.get(0));
        assertThat(dumpSet(false, 0, "-0")).isEqualTo(S_NEG0);
    }

    // ---- Redis's payloads decoded, and DUMPed again ----

    @Test
    void decodesRedisListpacksAndIntsetsAndDumpsThemIdentically() throws RdbFormatException {
        assertImage(restore(hex(H_SMALL)), ValueType.HASH, Encoding.PACKED, 0, "name", "ferrite", "lang", "java");
        assertImage(restore(hex(H_INTS)), ValueType.HASH, Encoding.PACKED, 0, "1", "-5", "big", "123456789012", "007", "-0", "+5", " 1");
        assertImage(restore(hex(H_RANGES)), ValueType.HASH, Encoding.PACKED, 0, "127", "128", "4095", "4096", "-4096", "-4097",
                "32767", "32768", "-32768", "-32769", "8388607", "8388608", "-8388608", "2147483647", "2147483648", "-2147483648",
                "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809");
        assertImage(restore(hex(H_64)), ValueType.HASH, Encoding.PACKED, 0, "f", "y".repeat(64));
        assertImage(restore(hex(H_EMPTY)), ValueType.HASH, Encoding.PACKED, 0, "e", "", "", "v");
        assertImage(restore(hex(H_LZF)), ValueType.HASH, Encoding.PACKED, 0, "field", "a".repeat(40));
        assertImage(restore(hex(S_123)), ValueType.SET, Encoding.PACKED, 2, "1", "2", "3");
        assertImage(restore(hex(S_I32)), ValueType.SET, Encoding.PACKED, 4, "-70000", "1", "5");
        assertImage(restore(hex(S_I64)), ValueType.SET, Encoding.PACKED, 8, "-3", "1", "5000000000");
        assertImage(restore(hex(S_SHRUNK)), ValueType.SET, Encoding.PACKED, 8, "-3", "1");
        for (String vector : List.of(H_SMALL, H_INTS, H_RANGES, H_64, H_EMPTY, H_LZF, S_123, S_I32, S_I64, S_SHRUNK)) {
            assertThat(redump(restore(hex(vector)))).isEqualTo(vector);
        }
    }

    @Test
    void hashtablePayloadsKeepTheirOrderThroughDecodeAndDump() throws RdbFormatException {
        List<String> vectors = new ArrayList<>(List.of(H_LONG, S_ABC, S_NEG0, S_600));
        vectors.addAll(H_HTINTS);
        vectors.addAll(S_MIXED);
        for (String vector : vectors) {
            CollectionImage image = restore(hex(vector));
            assertThat(image.encoding()).as(vector).isEqualTo(Encoding.TABLE);
            assertThat(redump(image)).isEqualTo(vector);
        }
        for (String vector : H_HTINTS) {
            List<String> e = elements(restore(hex(vector)));
            Map<String, String> map = new LinkedHashMap<>();
            for (int i = 0; i < e.size(); i += 2) {
                map.put(e.get(i), e.get(i + 1));
            }
            assertThat(map).containsOnly(Map.entry("n8", "-7"), Map.entry("n16", "1000"), Map.entry("n32", "-100000"),
                    Map.entry("n64", "12345678901"), Map.entry("lzf", "z".repeat(70)));
        }
        assertImage(restore(hex(H_LONG)), ValueType.HASH, Encoding.TABLE, 0, "f", "x".repeat(70));
        assertThat(elements(restore(hex(S_MIXED.get(1))))).containsExactly("300", "x", "70000", "1");
        CollectionImage s600 = restore(hex(S_600));
        assertThat(s600.count()).isEqualTo(600);
        assertThat(new TreeSet<>(elements(s600))).isEqualTo(new TreeSet<>(List.of(numbered("", 600, null))));
        assertThat(elements(s600).subList(0, 5)).containsExactly("50", "520", "430", "416", "573");
    }

    // ---- RESTORE (§8.3 and §5) ----

    @Test
    void restoreVectorsOfTheSpec() throws RdbFormatException {
        byte[] good = hex("100c0c00000002008161020101ff0a0084a693e8aa17e4db");
        assertImage(restore(good), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        assertThat(redump(restore(good))).isEqualTo(hexOf(good));
        assertThat(DumpPayload.verify(DumpPayloadTest.payload("100c0c00000002008161020101ff", 11))).isFalse();
        assertRejected("HASH of 0 pairs", "0400");
        assertRejected("SET of 0 members", "0200");
        assertRejected("empty intset", "0b08" + "0200000000000000");
        assertRejected("empty listpack", "1007" + "07000000" + "0000" + "ff");
        CollectionImage ab = restore("0402" + "0161c001" + "0162c002");
        assertImage(ab, ValueType.HASH, Encoding.PACKED, 0, "a", "1", "b", "2");
        assertThat(redump(ab)).isEqualTo("101111000000040081610201018162020201ff0a003e40636c8f5d769a");
        CollectionImage ints = restore("0203c003c001c002");
        assertImage(ints, ValueType.SET, Encoding.PACKED, 2, "3", "1", "2");
        assertThat(redump(ints)).isEqualTo(S_123);
        assertRejected("duplicate member", "0202c001c001");
        assertRejected("type 20 (SET_LISTPACK of 7.2)", "14" + raw(listpack("a", "b")));
    }

    @Test
    void framingEdgesBehaveAsInRedis() throws RdbFormatException {
        String lpA1 = "10" + raw(listpack("a", "1"));
        assertImage(restore(DumpPayloadTest.payload(lpA1, 0)), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        assertImage(restore(DumpPayloadTest.payload(lpA1, 9)), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        assertImage(restore(lpA1 + "6a756e6b6a756e6b"), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        // The object is read from the whole payload: this value takes 3 footer bytes.
        byte[] intoFooter = payload("040101610561" + "62");
        assertThat(elements(restore(intoFooter)))
                .containsExactly("a", text(Arrays.copyOfRange(intoFooter, 5, 10)));
        assertRejected("only a footer: type 10", payload(""));
    }

    @Test
    void typeTellsStringsFromCollections() throws RdbFormatException {
        byte[] string = DumpPayload.ofString(bytes("hello"));
        assertThat(RdbCollections.type(string)).isEqualTo(DumpPayload.TYPE_STRING);
        assertThat(DumpPayload.decodeString(string)).isEqualTo(bytes("hello"));
        assertRejected("a string is DumpPayload's", string);
        assertThat(RdbCollections.type(hex(H_SMALL))).isEqualTo(RdbCollections.TYPE_HASH_LISTPACK);
        assertThat(RdbCollections.type(hex(H_LONG))).isEqualTo(RdbCollections.TYPE_HASH);
        assertThat(RdbCollections.type(hex(S_123))).isEqualTo(RdbCollections.TYPE_SET_INTSET);
        assertThat(RdbCollections.type(hex(S_ABC))).isEqualTo(RdbCollections.TYPE_SET);
        assertThat(RdbCollections.type(new byte[0])).isEqualTo(-1);
        assertThatThrownBy(() -> DumpPayload.decodeString(hex(H_SMALL))).isInstanceOf(RdbFormatException.class);
    }

    @Test
    void refusesOtherTypes() {
        String lp = raw(listpack("a", "1"));
        for (String type : List.of("01", "03", "05", "06", "07", "08", "0a", "0c", "0e", "0f", "11", "12", "13", "14", "15", "16", "ff")) {
            assertRejected("type " + type, type + lp);
        }
        // A real Redis 7.0 DUMP of a one-element list (quicklist, type 18).
        assertRejected("list", hex("1201020a0a0000000100816102ff0a0009b9edf594ded995"));
    }

    @Test
    void hashtableHashesBecomeListpacksWhileSmall() throws RdbFormatException {
        String x64 = "x".repeat(64);
        String x65 = "x".repeat(65);
        assertImage(restore(hashBody("a", x64)), ValueType.HASH, Encoding.PACKED, 0, "a", x64);
        assertImage(restore(hashBody("a", x65)), ValueType.HASH, Encoding.TABLE, 0, "a", x65);
        assertImage(restore(hashBody("f".repeat(65), "v")), ValueType.HASH, Encoding.TABLE, 0, "f".repeat(65), "v");
        assertImage(restore(hashBody("a", "1", "b", x65, "c", "3")), ValueType.HASH, Encoding.TABLE, 0, "a", "1", "b", x65, "c", "3");
        CollectionImage n512 = restore(hashBody(numbered("f", 512, "v")));
        assertThat(n512.encoding()).isEqualTo(Encoding.PACKED);
        assertThat(elements(n512)).containsExactly(numbered("f", 512, "v"));
        CollectionImage n513 = restore(hashBody(numbered("f", 513, "v")));
        assertThat(n513.encoding()).isEqualTo(Encoding.TABLE);
        assertThat(elements(n513)).containsExactly(numbered("f", 513, "v"));
        assertImage(restore("0401" + "0161" + "c001"), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        assertImage(restore("0401" + "0161" + "c3094046017878e03900017878"), ValueType.HASH, Encoding.TABLE, 0, "a", "x".repeat(70));
        // The limits are parameters.
        CollectionImage strict = RdbCollections.decode(payload(hashBody("a", "12345")), 512, 4, 512);
        assertThat(strict.encoding()).isEqualTo(Encoding.TABLE);
    }

    @Test
    void refusesBrokenHashtableHashes() {
        assertRejected("duplicate field, listpack phase", hashBody("a", "1", "a", "2"));
        assertRejected("duplicate field, table phase", hashBody("a", "x".repeat(65), "a", "2"));
        String[] dup = numbered("f", 600, "v");
        dup[2 * 599] = "f17";
        assertRejected("duplicate field in a large hash", hashBody(dup));
        assertRejected("count 2, one pair", "0402" + "0161" + "0131");
        assertRejected("unknown string encoding", "0401" + "0161" + "c400");
        assertRejected("field without value", "0401" + "0161");
    }

    @Test
    void listpackHashesAreKeptAsTheyAre() throws RdbFormatException {
        String x65 = "x".repeat(65);
        CollectionImage long65 = restore("10" + raw(listpack("a", x65)));
        assertImage(long65, ValueType.HASH, Encoding.PACKED, 0, "a", x65);
        assertThat(redump(long65)).isEqualTo("10c313404e0b4e0000000200816102e04178e037000143ff0a00d9fb19a57b78c8c1");
        assertThat(restore("10" + raw(listpack(numbered("f", 512, "v")))).encoding()).isEqualTo(Encoding.PACKED);
        CollectionImage n513 = restore("10" + raw(listpack(numbered("f", 513, "v"))));
        assertThat(n513.encoding()).isEqualTo(Encoding.TABLE);
        assertThat(elements(n513)).containsExactly(numbered("f", 513, "v"));
        byte[] unknownCount = listpack("a", "1", "b", "2");
        unknownCount[4] = (byte) 0xff;
        unknownCount[5] = (byte) 0xff;
        CollectionImage counted = restore("10" + raw(unknownCount));
        assertImage(counted, ValueType.HASH, Encoding.PACKED, 0, "a", "1", "b", "2");
        assertThat(redump(counted)).isEqualTo("101111000000040081610201018162020201ff0a003e40636c8f5d769a");
        // "1" stored as a string: legal, decoded to the same text (Ferrite re-DUMPs it canonically).
        assertImage(restore("100d" + "0d0000000200" + "816102" + "813102" + "ff"), ValueType.HASH, Encoding.PACKED, 0, "a", "1");
        // The blob LZF-compressed, as Redis writes it.
        assertImage(restore("10c316380e380000000200856669656c6406a861e01e000129ff"), ValueType.HASH, Encoding.PACKED, 0,
                "field", "a".repeat(40));
    }

    @Test
    void refusesBrokenListpacks() {
        assertRejected("duplicate field", "10" + raw(listpack("a", "1", "a", "2")));
        assertRejected("duplicate integer field", "10" + raw(listpack("7", "1", "7", "2")));
        assertRejected("duplicate field, once as an integer, once as a string",
                "1010" + "100000000400" + "0701" + "0101" + "813702" + "0201" + "ff");
        assertRejected("odd entry count", "10" + raw(listpack("a", "1", "b")));
        byte[] wrongCount = listpack("a", "1", "b", "2");
        wrongCount[4] = 6;
        assertRejected("num_elements 6 for 4 entries", "10" + raw(wrongCount));
        byte[] wrongTotal = listpack("a", "1");
        wrongTotal[0]++;
        assertRejected("total bytes wrong", "10" + raw(wrongTotal));
        byte[] noTerminator = listpack("a", "1");
        noTerminator[noTerminator.length - 1] = (byte) 0xfe;
        assertRejected("last byte not 0xFF", "10" + raw(noTerminator));
        assertRejected("bad backlen", "100d" + "0d0000000200" + "816103" + "813102" + "ff");
        assertRejected("encoding byte 0xF5", "100b" + "0b0000000200" + "816102" + "f5" + "ff");
        assertRejected("0xFF before the end", "100e" + "0e0000000200" + "816102" + "ff" + "813102" + "ff");
        assertRejected("string runs past the end", "100c" + "0c0000000200" + "816102" + "8531" + "ff");
        assertRejected("12-bit length cut by the terminator", "100b" + "0b0000000200" + "816102" + "e0" + "ff");
        assertRejected("32-bit string of 4 GiB", "1010" + "100000000200" + "816102" + "f0ffffffff" + "02" + "ff");
        assertRejected("int-encoded blob", "10c005");
        assertRejected("blob shorter than a header", "1003" + "ffffff");
    }

    @Test
    void hashtableSetsBecomeIntsetsWhenAllIntegers() throws RdbFormatException {
        assertImage(restore(setBody("1", "a")), ValueType.SET, Encoding.TABLE, 0, "1", "a");
        assertImage(restore(setBody("007")), ValueType.SET, Encoding.TABLE, 0, "007");
        assertImage(restore(setBody("-0")), ValueType.SET, Encoding.TABLE, 0, "-0");
        assertImage(restore(setBody("1", "70000")), ValueType.SET, Encoding.PACKED, 4, "1", "70000");
        CollectionImage extremes = restore("0202" + raw(bytes("9223372036854775807")) + raw(bytes("-9223372036854775808")));
        assertImage(extremes, ValueType.SET, Encoding.PACKED, 8, "9223372036854775807", "-9223372036854775808");
        assertThat(redump(extremes)).isEqualTo("0bc312180408000000022003a0000180ff600001ff7f0a00603a3581ceea1b4c");
        assertImage(restore(setBody("9223372036854775808")), ValueType.SET, Encoding.TABLE, 0, "9223372036854775808");
        CollectionImage n512 = restore(setBody(numbered("", 512, null)));
        assertThat(n512.encoding()).isEqualTo(Encoding.PACKED);
        assertThat(n512.intsetWidth()).isEqualTo(2);
        assertThat(redump(n512)).isEqualTo(dumpSet(true, 2, numbered("", 512, null)));
        CollectionImage n513 = restore(setBody(numbered("", 513, null)));
        assertThat(n513.encoding()).isEqualTo(Encoding.TABLE);
        assertThat(elements(n513)).containsExactly(numbered("", 513, null));
    }

    @Test
    void refusesBrokenHashtableSets() {
        assertRejected("\"1\",\"1\"", setBody("1", "1"));
        assertRejected("\"a\",\"a\"", setBody("a", "a"));
        assertRejected("duplicate after the switch to a table", setBody("1", "a", "1"));
        assertRejected("integer and int-encoded integer", "0202" + "0131" + "c001");
        assertRejected("count 3, two members", "0203" + "0161" + "0162");
    }

    @Test
    void intsetsKeepTheirWidth() throws RdbFormatException {
        String wideBody = "0b" + raw(RdbIntset.encode(8, new long[] {1, 2}, 2));
        CollectionImage wide = restore(wideBody);
        assertImage(wide, ValueType.SET, Encoding.PACKED, 8, "1", "2");
        assertThat(redump(wide)).isEqualTo(hexOf(payload(wideBody)));
        long[] n513 = new long[513];
        for (int i = 0; i < n513.length; i++) {
            n513[i] = i;
        }
        CollectionImage table = restore("0b" + raw(RdbIntset.encode(2, n513, 513)));
        assertThat(table.encoding()).isEqualTo(Encoding.TABLE);
        assertThat(table.intsetWidth()).isZero();
        assertThat(elements(table)).containsExactly(numbered("", 513, null));
        // A literal-only LZF stream longer than the intset it holds (Redis accepts it too).
        CollectionImage lzf = restore("0bc30b0a" + "09" + "02000000010000000100");
        assertImage(lzf, ValueType.SET, Encoding.PACKED, 2, "1");
        assertThat(redump(lzf)).isEqualTo("0b0a020000000100000001000a00056f61290c490534");
    }

    @Test
    void refusesBrokenIntsets() {
        assertRejected("unsorted", "0b0e" + "0200000003000000" + "030001000200");
        assertRejected("duplicate", "0b0c" + "0200000002000000" + "01000100");
        assertRejected("width 3", "0b0b" + "0300000001000000" + "010000");
        assertRejected("length mismatch", "0b0c" + "0200000003000000" + "01000200");
        assertRejected("count beyond the bytes", "0b0c" + "02000000ffffffff" + "01000200");
        assertRejected("shorter than a header", "0b04" + "02000000");
        assertRejected("corrupt LZF", "0bc3060a" + "000100000001" + "00");
    }

    @Test
    void decodesOldZiplistHashes() throws RdbFormatException {
        CollectionImage ab = restore("0d1a1a00000012000000040000016103f2020162030568656c6c6fff");
        assertImage(ab, ValueType.HASH, Encoding.PACKED, 0, "a", "1", "b", "hello");
        assertThat(redump(ab)).isEqualTo("101616000000040081610201018162028568656c6c6f06ff0a00e8c5fe99ee07955d");
        CollectionImage ints = restore("0d2f2f0000002b000000080000fd02fe0d03fe9c03c0e80304f0a0860105d08096980006e000f2052a0100000"
                + "00a0178ff");
        assertImage(ints, ValueType.HASH, Encoding.PACKED, 0, "12", "13", "-100", "1000", "100000", "10000000", "5000000000", "x");
        assertThat(redump(ints))
                .isEqualTo("10292900000008000c010d01df9c02c3e802f2a0860104f38096980005f400f2052a0100000009817802ff0a00e874d9b0edbc6084");
        assertImage(restore("0d404d4d000000420000000e0000f102fd02fe0d03feff03fe7f03fe8003c0800004c0ff7f04f0ff7fff05f0ffff7f05"
                        + "d0ffff7fff06d0ffffff7f06e0ffffff7fffffffff0ae0ffffffffffffff7fff"),
                ValueType.HASH, Encoding.PACKED, 0, "0", "12", "13", "-1", "127", "-128", "128", "32767", "-32769", "8388607",
                "-8388609", "2147483647", "-2147483649", "9223372036854775807");
        // No value-length check for this type: a 70-byte value stays packed.
        assertImage(restore("0d4057570000000d000000020000016103" + "4046" + "78".repeat(70) + "ff"),
                ValueType.HASH, Encoding.PACKED, 0, "a", "x".repeat(70));
        assertRejected("empty", "0d0b0b0000000a0000000000ff");
        assertRejected("duplicate field", "0d151500000012000000040000016103f202016103f3ff");
        assertRejected("odd count", "0d13130000000f000000030000016103f2020162ff");
        assertRejected("bad zltail", "0d101000000000000000020000016103f2ff");
        assertImage(restore("0d10" + "10000000" + "0d000000" + "0200" + "000161" + "03f2" + "ff"), ValueType.HASH, Encoding.PACKED, 0,
                "a", "1");
        assertRejected("wrong prevlen", "0d10" + "10000000" + "0d000000" + "0200" + "000161" + "04f2" + "ff");
        assertImage(restore("0d14" + "14000000" + "0d000000" + "0200" + "000161" + "fe03000000f2" + "ff"), ValueType.HASH,
                Encoding.PACKED, 0, "a", "1");
        assertRejected("5-byte prevlen of the wrong size", "0d14" + "14000000" + "0d000000" + "0200" + "000161" + "fe04000000f2" + "ff");
        assertRejected("wrong zllen", "0d1010000000" + "0d000000" + "0300" + "00" + "0161" + "03" + "f2" + "ff");
        assertRejected("entry runs past the end", "0d1010000000" + "0d000000" + "0200" + "00" + "0561" + "03" + "f2" + "ff");
        assertRejected("invalid encoding", "0d1010000000" + "0d000000" + "0200" + "00" + "0161" + "03" + "c1" + "ff");
    }

    @Test
    void decodesOldZipmapHashes() throws RdbFormatException {
        CollectionImage ab = restore("0911020161010031026262050068656c6c6fff");
        assertImage(ab, ValueType.HASH, Encoding.PACKED, 0, "a", "1", "bb", "hello");
        assertThat(redump(ab)).isEqualTo("10171700000004008161020101826262038568656c6c6f06ff0a00c4f7cf7440790858");
        CollectionImage free = restore("09" + raw(bytes("\u0001\u0001a\u0001\u0003v...\u00ff")));
        assertImage(free, ValueType.HASH, Encoding.PACKED, 0, "a", "v");
        assertThat(redump(free)).isEqualTo("100d0d0000000200816102817602ff0a00fc2c313a4a545b35");
        assertImage(restore("09" + raw(bytes("\u00fe\u0001a\u0001\u0000v\u00ff"))), ValueType.HASH, Encoding.PACKED, 0, "a", "v");
        // Unlike ziplists, a long field or value makes a table.
        assertImage(restore("09404c0101614600" + "78".repeat(70) + "ff"),
                ValueType.HASH, Encoding.TABLE, 0, "a", "x".repeat(70));
        assertRejected("empty", "090200ff");
        assertRejected("duplicate field", "090c0201610100310161010032ff");
        assertRejected("count byte wrong", "09" + raw(bytes("\u0005\u0001a\u0001\u0000v\u00ff")));
        assertRejected("value runs past the end", "09" + raw(bytes("\u0001\u0001a\u0005\u0000v\u00ff")));
        assertRejected("free bytes run past the end", "09" + raw(bytes("\u0001\u0001a\u0001\u0009v\u00ff")));
        assertRejected("no terminator", "09" + raw(bytes("\u0001\u0001a\u0001\u0000v")));
    }

    @Test
    void refusesTruncatedPayloads() {
        List<String> objects = new ArrayList<>(List.of(H_SMALL, H_RANGES, H_LONG, H_HTINTS.get(0), S_123, S_ABC, S_600));
        objects.add("0d1a1a00000012000000040000016103f2020162030568656c6c6fff");
        objects.add("0911020161010031026262050068656c6c6fff");
        for (String vector : objects) {
            byte[] whole = hex(vector);
            int objectLength = vector.startsWith("0d") || vector.startsWith("09") ? whole.length : whole.length - 10;
            for (int cut = 0; cut < objectLength; cut++) {
                // No footer: every byte read must really be there.
                assertRejected(vector.substring(0, 8) + " cut at " + cut, Arrays.copyOf(whole, cut));
            }
        }
    }

    @Test
    void hugeCountsFailWithoutAllocatingForThem() {
        assertRejected("64-bit pair count", "04817fffffffffffffff" + "0161" + "0131");
        assertRejected("unsigned 64-bit pair count", "0481ffffffffffffffff" + "0161" + "0131");
        assertRejected("32-bit member count", "0280ffffffff" + "0161");
        assertRejected("4 GiB element", "0401" + "0161" + "80ffffffff" + "31");
        assertRejected("LZF claiming 4 GiB", "10c30580ffffffff" + "0061");
        assertRejected("intset claiming 2^32-1 elements", "0b0c" + "08000000ffffffff" + "01000200");
        assertRejected("ziplist string of 4 GiB", "0d11" + "11000000" + "0a000000" + "0100" + "00" + "80ffffffff" + "ff");
        assertRejected("zipmap string of 4 GiB", "09" + raw(bytes("\u0001\u00fe\u00ff\u00ff\u00ff\u00ffa\u00ff")));
    }

    // ---- Encodings in detail ----

    /** The entry bytes of a one-element listpack (header and terminator cut off). */
    private static String entry(String element) {
        byte[] lp = listpack(element);
        return hexOf(Arrays.copyOfRange(lp, Listpack.HEADER, lp.length - 1));
    }

    @Test
    void listpackEntriesUseRedisEncodings() {
        Map<String, String> cases = new LinkedHashMap<>();
        cases.put("0", "0001");
        cases.put("1", "0101");
        cases.put("127", "7f01");
        cases.put("128", "c08002");
        cases.put("-1", "dfff02");
        cases.put("-5", "dffb02");
        cases.put("4095", "cfff02");
        cases.put("-4096", "d00002");
        cases.put("4096", "f1001003");
        cases.put("-4097", "f1ffef03");
        cases.put("32767", "f1ff7f03");
        cases.put("-32768", "f1008003");
        cases.put("32768", "f200800004");
        cases.put("-32769", "f2ff7fff04");
        cases.put("8388607", "f2ffff7f04");
        cases.put("-8388608", "f200008004");
        cases.put("8388608", "f30000800005");
        cases.put("2147483647", "f3ffffff7f05");
        cases.put("-2147483648", "f30000008005");
        cases.put("2147483648", "f4000000800000000009");
        cases.put("123456789012", "f4141a99be1c00000009");
        cases.put("9223372036854775807", "f4ffffffffffffff7f09");
        cases.put("-9223372036854775808", "f4000000000000008009");
        cases.put("", "8001");
        cases.put("name", "846e616d6505");
        cases.put("-0", "822d3003");
        cases.put("007", "8330303704");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            assertThat(entry(c.getKey())).as(c.getKey()).isEqualTo(c.getValue());
        }
        assertThat(entry("y".repeat(64))).startsWith("e04079").endsWith("7942");
    }

    @Test
    void listpackStringsAndBacklensAtEveryBoundary() throws RdbFormatException {
        // Entry length L (encoding + data) and the backlen Redis writes for it.
        assertThat(entry("a".repeat(125))).startsWith("e07d").endsWith("617f");      // L = 127
        assertThat(entry("a".repeat(126))).startsWith("e07e").endsWith("610180");    // L = 128
        assertThat(entry("a".repeat(4093))).startsWith("effd").endsWith("611fff");   // L = 4095
        assertThat(entry("a".repeat(4094))).startsWith("effe").endsWith("612080");   // L = 4096
        assertThat(entry("a".repeat(4096))).startsWith("f000100000").endsWith("612085"); // 32-bit string, L = 4101
        assertThat(entry("a".repeat(20000))).startsWith("f0204e0000").endsWith("61019ca5"); // L = 20005
        assertThat(entry("a".repeat(16378))).endsWith("6100ffff");   // L = 16383: three bytes
        assertThat(entry("a".repeat(16377))).endsWith("617ffe");     // L = 16382: two
        assertThat(Listpack.backlenSize(127)).isEqualTo(1);
        assertThat(Listpack.backlenSize(16382)).isEqualTo(2);
        assertThat(Listpack.backlenSize(16383)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097150)).isEqualTo(3);
        assertThat(Listpack.backlenSize(2097151)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435454)).isEqualTo(4);
        assertThat(Listpack.backlenSize(268435455)).isEqualTo(5);
        for (int n : new int[] {0, 1, 63, 64, 125, 126, 127, 4093, 4094, 4095, 4096, 16377, 16378, 16379, 20000, 2097145, 2097146, 2097147}) {
            String s = "b".repeat(n);
            RdbCollections.Elements out = new RdbCollections.Elements(0);
            Listpack.decode(listpack("k", s, "k2", "x"), out);
            assertThat(out.count()).isEqualTo(4);
            assertThat(out.element(1)).as("length %d", n).isEqualTo(bytes(s));
        }
    }

    @Test
    void listpackHeaderCountsUpTo65535() throws RdbFormatException {
        String[] many = numbered("f", 40_000, "v");
        byte[] lp = listpack(many);
        assertThat(Listpack.littleEndian(lp, 4, 2)).isEqualTo(65535);
        assertThat(listpack(numbered("f", 100, "v"))[4]).isEqualTo((byte) 200);
        CollectionImage image = restore(hex(dumpHash(true, many)));
        assertThat(image.encoding()).isEqualTo(Encoding.TABLE);
        assertThat(elements(image)).containsExactly(many);
    }

    @Test
    void canonicalIntegersAreExactlyTheDecimalFormsOfLongs() {
        for (String yes : List.of("0", "1", "-1", "10", "-2147483648", "99999999999", "9223372036854775807",
                "-9223372036854775808", "1000000000000000000")) {
            byte[] b = bytes(yes);
            assertThat(Listpack.isCanonicalInteger(b, 0, b.length)).as(yes).isTrue();
            assertThat(Listpack.canonicalValue(b, 0, b.length)).as(yes).isEqualTo(Long.parseLong(yes));
        }
        for (String no : List.of("", "-", "-0", "00", "007", "-07", "+5", " 1", "1 ", "1a", "0x1", "1.0", "9223372036854775808",
                "-9223372036854775809", "99999999999999999999", "12345678901234567890", "-12345678901234567890",
                "100000000000000000000", "1\n", "\u0661")) {
            byte[] b = no.getBytes(StandardCharsets.UTF_8);
            assertThat(Listpack.isCanonicalInteger(b, 0, b.length)).as(no).isFalse();
        }
        byte[] inside = bytes("xx-42yy");
        assertThat(Listpack.isCanonicalInteger(inside, 2, 3)).isTrue();
        assertThat(Listpack.canonicalValue(inside, 2, 3)).isEqualTo(-42);
    }

    @Test
    void writersCheckWhatTheyAreGiven() {
        MemorySegment one = MemorySegment.ofArray(bytes("1"));
        MemorySegment word = MemorySegment.ofArray(bytes("one"));
        RdbCollections.HashDump hash = RdbCollections.hash(false, 2);
        hash.entry(word, 0, 3, one, 0, 1);
        assertThatThrownBy(hash::finish).isInstanceOf(IllegalStateException.class);
        RdbCollections.HashDump full = RdbCollections.hash(true, 1).entry(word, 0, 3, one, 0, 1);
        assertThatThrownBy(() -> full.entry(word, 0, 3, one, 0, 1)).isInstanceOf(IllegalStateException.class);
        full.finish();
        assertThatThrownBy(full::finish).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> RdbCollections.set(true, 2, 1).member(word, 0, 3)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdbCollections.set(true, 3, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RdbCollections.hash(true, 0)).isInstanceOf(IllegalArgumentException.class);
        RdbCollections.SetDump dup = RdbCollections.set(true, 2, 2).member(one, 0, 1).member(one, 0, 1);
        assertThatThrownBy(dup::finish).isInstanceOf(IllegalArgumentException.class);
        // A member wider than the width given widens the intset rather than corrupt it.
        assertThat(dumpSet(true, 2, "-3", "1", "5000000000")).isEqualTo(S_I64);
    }

    // ---- Random round trips ----

    private static final List<String> TRICKY = List.of("", "-0", "007", "+5", " 1", "0", "-1", "9223372036854775807",
            "9223372036854775808", "-9223372036854775808", "-9223372036854775809", "12345678901", "2147483648", "4095", "-4096",
            "x".repeat(64), "x".repeat(65), "y".repeat(300), "\u0000\u00ff\u0080");

    private static String randomString(Random random) {
        return switch (random.nextInt(8)) {
            case 0 -> TRICKY.get(random.nextInt(TRICKY.size()));
            case 1 -> Long.toString(random.nextLong() >> random.nextInt(64));
            case 2 -> Integer.toString(random.nextInt(300) - 150);
            case 3 -> {
                byte[] b = new byte[random.nextInt(80)];
                random.nextBytes(b);
                yield text(b);
            }
            case 4 -> "v".repeat(300) + random.nextInt(1000);
            default -> {
                StringBuilder s = new StringBuilder();
                for (int i = random.nextInt(24); i > 0; i--) {
                    s.append((char) ('a' + random.nextInt(26)));
                }
                yield s.toString();
            }
        };
    }

    /** Copies {@code strings} into one native segment; returns each string's offset (and the end last). */
    private static long[] pack(MemorySegment segment, List<String> strings) {
        long[] offsets = new long[strings.size() + 1];
        long at = 7; // nothing starts at 0
        for (int i = 0; i < strings.size(); i++) {
            byte[] b = bytes(strings.get(i));
            offsets[i] = at;
            MemorySegment.copy(b, 0, segment, ValueLayout.JAVA_BYTE, at, b.length);
            at += b.length + 3;
        }
        offsets[strings.size()] = at;
        return offsets;
    }

    private static long byteSize(List<String> strings) {
        return strings.stream().mapToLong(s -> s.length() + 3L).sum() + 8;
    }

    @Test
    void randomHashesRoundTrip() throws RdbFormatException {
        Random random = new Random(42);
        for (int round = 0; round < 300; round++) {
            int pairs = 1 + (round % 10 == 0 ? random.nextInt(700) : random.nextInt(20));
            Set<String> fields = new LinkedHashSet<>();
            while (fields.size() < pairs) {
                fields.add(randomString(random));
            }
            List<String> flat = new ArrayList<>();
            for (String field : fields) {
                flat.add(field);
                flat.add(randomString(random));
            }
            boolean listpack = random.nextBoolean();
            byte[] payload;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segment = arena.allocate(byteSize(flat));
                long[] at = pack(segment, flat);
                RdbCollections.HashDump dump = RdbCollections.hash(listpack, pairs);
                for (int i = 0; i < flat.size(); i += 2) {
                    dump.entry(segment, at[i], bytes(flat.get(i)).length, segment, at[i + 1], bytes(flat.get(i + 1)).length);
                }
                payload = dump.finish();
            }
            assertThat(DumpPayload.verify(payload)).isTrue();
            assertThat(RdbCollections.type(payload)).isEqualTo(listpack ? 16 : 4);
            CollectionImage image = restore(payload);
            boolean small = flat.stream().allMatch(s -> s.length() <= 64);
            boolean packed = pairs <= 512 && (listpack || small);
            assertThat(image.type()).isEqualTo(ValueType.HASH);
            assertThat(image.encoding()).as("round %d", round).isEqualTo(packed ? Encoding.PACKED : Encoding.TABLE);
            assertThat(elements(image)).as("round %d", round).containsExactlyElementsOf(flat);
            if (listpack && packed) {
                assertThat(redump(image)).isEqualTo(hexOf(payload));
            }
        }
    }

    @Test
    void randomSetsRoundTrip() throws RdbFormatException {
        Random random = new Random(7);
        for (int round = 0; round < 300; round++) {
            int members = 1 + (round % 10 == 0 ? random.nextInt(700) : random.nextInt(20));
            boolean intset = random.nextBoolean();
            Set<String> set = new LinkedHashSet<>();
            int needed = 2;
            while (set.size() < members) {
                if (intset) {
                    long v = random.nextLong() >> (random.nextInt(4) * 16 + random.nextInt(16));
                    if (set.add(Long.toString(v))) {
                        needed = Math.max(needed, RdbIntset.widthFor(v));
                    }
                } else {
                    set.add(randomString(random));
                }
            }
            List<String> list = new ArrayList<>(set);
            int width = intset ? Math.max(needed, new int[] {2, 4, 8}[random.nextInt(3)]) : 0;
            byte[] payload;
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment segment = arena.allocate(byteSize(list));
                long[] at = pack(segment, list);
                RdbCollections.SetDump dump = RdbCollections.set(intset, width, members);
                for (int i = 0; i < list.size(); i++) {
                    dump.member(segment, at[i], bytes(list.get(i)).length);
                }
                payload = dump.finish();
            }
            assertThat(DumpPayload.verify(payload)).isTrue();
            CollectionImage image = restore(payload);
            assertThat(image.type()).isEqualTo(ValueType.SET);
            if (intset) {
                List<String> ascending = list.stream().sorted((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b))).toList();
                assertThat(elements(image)).as("round %d", round).containsExactlyElementsOf(ascending);
                assertThat(image.encoding()).isEqualTo(members <= 512 ? Encoding.PACKED : Encoding.TABLE);
                assertThat(image.intsetWidth()).isEqualTo(members <= 512 ? width : 0);
                if (members <= 512) {
                    assertThat(redump(image)).isEqualTo(hexOf(payload));
                }
            } else {
                boolean integers = list.stream().allMatch(s -> Listpack.isCanonicalInteger(bytes(s), 0, s.length()));
                boolean packed = integers && members <= 512;
                assertThat(elements(image)).as("round %d", round).containsExactlyElementsOf(list);
                assertThat(image.encoding()).isEqualTo(packed ? Encoding.PACKED : Encoding.TABLE);
                if (!packed) {
                    assertThat(redump(image)).isEqualTo(hexOf(payload));
                }
            }
        }
    }
}
