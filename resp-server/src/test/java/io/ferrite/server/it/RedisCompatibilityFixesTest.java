package io.ferrite.server.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.ferrite.server.TestServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Regression tests for the differences from Redis 7.0 that {@link RedisDifferentialTest}
 * found, with the replies Redis 7.0.15 gives written out, so they run without a
 * redis-server too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisCompatibilityFixesTest {
    private static final String OK = "+OK\r\n";
    private static final String NIL = "$-1\r\n";
    private static final String SYNTAX = "-ERR syntax error\r\n";
    private static final String NOT_INTEGER = "-ERR value is not an integer or out of range\r\n";

    private TestServer server;
    private RespConnection c;

    @BeforeAll
    void start() throws IOException {
        server = TestServer.start();
        c = new RespConnection(server.host(), server.port());
    }

    @AfterAll
    void stop() throws IOException {
        c.close();
        server.close();
    }

    @BeforeEach
    void flush() throws IOException {
        expect(OK, "FLUSHALL");
    }

    private void expect(String reply, String... command) throws IOException {
        assertThat(new String(c.call(command).raw(), StandardCharsets.ISO_8859_1))
                .as(String.join(" ", command)).isEqualTo(reply);
    }

    @Test
    void setOptionsMayRepeatAndTheirValuesAreCheckedLast() throws IOException {
        expect(OK, "SET", "k", "v", "EX", "10", "EX", "20");
        expect(":20\r\n", "TTL", "k");
        expect(OK, "SET", "k", "v", "PX", "5000", "PX", "100000");
        expect(":100\r\n", "TTL", "k");
        expect(OK, "SET", "k", "v", "EX", "abc", "EX", "10");
        expect(NOT_INTEGER, "SET", "k", "v", "EX", "10", "EX", "abc");
        expect(SYNTAX, "SET", "k", "v", "EX", "abc", "FOO");
        expect(SYNTAX, "SET", "k", "v", "PX", "-1", "KEEPTTL");
        expect(SYNTAX, "SET", "k", "v", "EX", "10", "PX", "100");
        expect(SYNTAX, "SET", "k", "v", "KEEPTTL", "EXAT", "1");
        expect(NIL, "SET", "k", "v", "NX", "NX");
    }

    @Test
    void getexChecksTheTimeOnlyForAnExistingKey() throws IOException {
        expect(NIL, "GETEX", "missing", "EX", "abc");
        expect(NIL, "GETEX", "missing", "EX", "0");
        expect(SYNTAX, "GETEX", "missing", "EX", "abc", "FOO");
        expect(OK, "SET", "k", "v");
        expect(NOT_INTEGER, "GETEX", "k", "EX", "abc");
        expect("-ERR invalid expire time in 'getex' command\r\n", "GETEX", "k", "PX", "-1");
        expect("$1\r\nv\r\n", "GETEX", "k", "PERSIST", "PERSIST");
        expect("$1\r\nv\r\n", "GETEX", "k", "EX", "10", "EX", "20");
        expect(":20\r\n", "TTL", "k");
        expect(SYNTAX, "GETEX", "k", "EX", "10", "PERSIST");
    }

    @Test
    void hugeRangeIndexesNeitherOverflowNorDropTheConnection() throws IOException {
        expect(OK, "SET", "s", "Hello World");
        expect("$0\r\n\r\n", "GETRANGE", "s", "9223372036854775807", "9223372036854775807");
        expect("$0\r\n\r\n", "GETRANGE", "s", "100", "200");
        expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n",
                "SETRANGE", "s", "9223372036854775807", "x");
        expect(":11\r\n", "STRLEN", "s");
    }

    @Test
    void appendHonoursALoweredProtoMaxBulkLen() throws IOException {
        try {
            expect(OK, "CONFIG", "SET", "proto-max-bulk-len", "1mb");
            expect(":1048576\r\n", "SETRANGE", "big", "1048575", "x");
            expect("-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n", "APPEND", "big", "x");
            expect(":1\r\n", "APPEND", "new", "x");
        } finally {
            expect(OK, "CONFIG", "SET", "proto-max-bulk-len", "512mb");
        }
        expect(":1048577\r\n", "APPEND", "big", "x");
    }

    @Test
    void bitcountAndBitposLookTheKeyUpBeforeCheckingArguments() throws IOException {
        expect(":0\r\n", "BITCOUNT", "missing", "0");
        expect(":0\r\n", "BITCOUNT", "missing", "a", "b");
        expect(":0\r\n", "BITCOUNT", "missing", "0", "1", "FOO");
        expect(":-1\r\n", "BITPOS", "missing", "1", "x");
        expect(":0\r\n", "BITPOS", "missing", "0", "0", "0", "FOO");
        expect(":-1\r\n", "BITPOS", "missing", "1", "0", "0", "BIT", "x");
        expect("-ERR The bit argument must be 1 or 0.\r\n", "BITPOS", "missing", "3");
        expect(OK, "SET", "s", "foobar");
        expect(SYNTAX, "BITCOUNT", "s", "0");
        expect(NOT_INTEGER, "BITCOUNT", "s", "a", "b");
        expect(SYNTAX, "BITPOS", "s", "1", "0", "0", "BIT", "x");
        expect(NOT_INTEGER, "BITPOS", "s", "1", "x");
    }

    @Test
    void bitfieldRoAcceptsOverflowAndRefusesWritesAfterParsing() throws IOException {
        expect(OK, "SET", "bf", "\u007f");
        expect("*0\r\n", "BITFIELD_RO", "bf", "OVERFLOW", "SAT");
        expect("*1\r\n:127\r\n", "BITFIELD_RO", "bf", "OVERFLOW", "SAT", "GET", "u8", "0");
        expect("-ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.\r\n",
                "BITFIELD_RO", "bf", "SET", "x8", "0", "1");
        expect(NOT_INTEGER, "BITFIELD_RO", "bf", "SET", "u8", "0", "x");
        expect("-ERR Invalid OVERFLOW type specified\r\n", "BITFIELD_RO", "bf", "OVERFLOW", "FOO");
        expect("-ERR BITFIELD_RO only supports the GET subcommand\r\n", "BITFIELD_RO", "bf", "SET", "u8", "0", "1");
    }

    @Test
    void scanReadsCursorsLikeStrtoul() throws IOException {
        expect(OK, "SET", "k", "v");
        for (String cursor : new String[] {"", "+0", "-0", "00", "-1", "-18446744073709551615", "18446744073709551615"}) {
            assertThat(c.call("SCAN", cursor).type()).as("SCAN '%s'", cursor).isEqualTo('*');
        }
        for (String cursor : new String[] {" 0", "0 ", "+", "-", "0x10", "1.5", "18446744073709551616", "-18446744073709551616"}) {
            expect("-ERR invalid cursor\r\n", "SCAN", cursor);
        }
    }

    @Test
    void expireChecksOptionsFirstAndCombinesXxWithGtAndLt() throws IOException {
        expect("-ERR Unsupported option FOO\r\n", "EXPIRE", "missing", "x", "FOO");
        expect(OK, "SET", "k", "v");
        expect(":0\r\n", "EXPIRE", "k", "100", "XX", "LT");
        expect(":0\r\n", "EXPIRE", "k", "100", "XX", "GT");
        expect(":-1\r\n", "TTL", "k");
        expect(":1\r\n", "EXPIRE", "k", "200");
        expect(":0\r\n", "EXPIRE", "k", "100", "XX", "GT");
        expect(":0\r\n", "EXPIRE", "k", "300", "XX", "LT");
        expect(":1\r\n", "EXPIRE", "k", "100", "LT", "XX");
        expect(":100\r\n", "TTL", "k");
        expect(":1\r\n", "EXPIRE", "k", "300", "GT", "XX");
        expect(":300\r\n", "TTL", "k");
    }

    @Test
    void clientSubcommandErrorsAreRedisOnes() throws IOException {
        expect("$0\r\n\r\n", "CLIENT", "LIST", "ID", "0");
        expect("$0\r\n\r\n", "CLIENT", "LIST", "ID", "-1");
        expect("-ERR Invalid client ID\r\n", "CLIENT", "LIST", "ID", "x");
        expect("-ERR No such user 'nobody'\r\n", "CLIENT", "KILL", "USER", "nobody");
        expect(":0\r\n", "CLIENT", "KILL", "USER", "default");
        expect("-ERR timeout is negative\r\n", "CLIENT", "PAUSE", "-1");
        expect("-ERR timeout is not an integer or out of range\r\n", "CLIENT", "PAUSE", "x");
        expect("-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n", "CLIENT", "PAUSE", "0", "FOO");
        expect("-ERR unknown subcommand or wrong number of arguments for 'pause'. Try CLIENT HELP.\r\n",
                "CLIENT", "pause", "0", "WRITE", "extra");
        expect(OK, "CLIENT", "PAUSE", "9223372036854775807", "WRITE");
        expect("$-1\r\n", "GET", "k"); // reads go on during a WRITE pause
        expect(OK, "CLIENT", "UNPAUSE");
        expect(OK, "SET", "k", "v");
    }

    @Test
    void configSetAndGetMatchRedis() throws IOException {
        expect(SYNTAX, "CONFIG", "SET", "maxmemory", "1", "hz");
        try {
            expect(OK, "CONFIG", "SET", "hz", "0");
            expect("*2\r\n$2\r\nhz\r\n$1\r\n1\r\n", "CONFIG", "GET", "hz");
            expect(OK, "CONFIG", "SET", "hz", "1000");
            expect("*2\r\n$2\r\nhz\r\n$3\r\n500\r\n", "CONFIG", "GET", "hz");
        } finally {
            expect(OK, "CONFIG", "SET", "hz", "10");
        }
        expect("-ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive\r\n",
                "CONFIG", "SET", "maxclients", "0");
        expect("-ERR CONFIG SET failed (possibly related to argument 'loglevel') - argument(s) must be one of the following: debug, verbose, notice, warning\r\n",
                "CONFIG", "SET", "loglevel", "foo");
    }

    @Test
    void shutdownRefusesIllegalCombinationsAndSlowlogGetExtraArguments() throws IOException {
        expect(SYNTAX, "SHUTDOWN", "NOSAVE", "SAVE");
        expect(SYNTAX, "SHUTDOWN", "ABORT", "NOW");
        expect("-ERR No shutdown in progress.\r\n", "SHUTDOWN", "ABORT");
        expect("-ERR unknown subcommand or wrong number of arguments for 'get'. Try SLOWLOG HELP.\r\n",
                "SLOWLOG", "get", "1", "2");
        expect("+PONG\r\n", "PING"); // still running
    }

    @Test
    void objectSubcommandsOfAMissingKeyReplyNil() throws IOException {
        expect(NIL, "OBJECT", "FREQ", "missing");
        expect(NIL, "OBJECT", "IDLETIME", "missing");
        expect(NIL, "OBJECT", "ENCODING", "missing");
        RespConnection.Reply help = c.call("OBJECT", "HELP");
        assertThat(help.elements().getLast().text()).isEqualTo("    Prints this help.");
    }

    @Test
    void debugObjectShowsTheValueAndStaysPutForAnInPlaceIncr() throws IOException {
        expect(OK, "SET", "counter", "20000");
        String before = c.call("DEBUG", "OBJECT", "counter").text();
        expect(":20001\r\n", "INCR", "counter");
        String after = c.call("DEBUG", "OBJECT", "counter").text();
        assertThat(before).startsWith("Value at:0x").contains(" refcount:1 encoding:int ");
        assertThat(after.split(" ")[1]).isEqualTo(before.split(" ")[1]); // updated in place, as Redis does
        expect(OK, "SET", "counter", "7");
        assertThat(c.call("DEBUG", "OBJECT", "counter").text()).contains(" refcount:2147483647 ");
        expect("-ERR no such key\r\n", "DEBUG", "OBJECT", "missing");
    }

    @Test
    void helloBeforeAuthenticationUsesRedisWords() throws IOException {
        try (TestServer secured = TestServer.start("requirepass secret");
                RespConnection connection = new RespConnection(secured.host(), secured.port())) {
            assertThat(connection.call("HELLO", "3").text()).isEqualTo("NOAUTH HELLO must be called with the client "
                    + "already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate "
                    + "the client and select the RESP protocol version at the same time");
            assertThat(connection.call("HELLO", "3", "AUTH", "default", "secret").type()).isEqualTo('%');
        }
    }

    @Test
    void unknownNamesAreCStringsInErrors() throws IOException {
        expect("*1\r\n$-1\r\n", "COMMAND", "INFO", "nonexistent");
        expect("-ERR unknown command '', with args beginning with: \r\n", "\u0000");
        expect("-ERR unknown command 'ab', with args beginning with: 'x' \r\n", "ab\u0000cd", "x\u0000y");
        expect("-ERR unknown subcommand ''. Try CLIENT HELP.\r\n", "CLIENT", "\u0000x");
    }
}
