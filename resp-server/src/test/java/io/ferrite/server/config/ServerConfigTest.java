package io.ferrite.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerConfigTest {
    private final ServerConfig config = new ServerConfig();

    private ConfigSetResult set(String... pairs) {
        return config.set(List.of(pairs));
    }

    @Test
    void startsWithRedisDefaults() {
        assertThat(config.getInt(Directives.PORT)).isEqualTo(6379);
        assertThat(config.get(Directives.PROTO_MAX_BULK_LEN)).isEqualTo(512L * 1024 * 1024);
        assertThat(config.show(Directives.SAVE)).isEqualTo("3600 1 300 100 60 10000");
        assertThat(config.show(Directives.CLIENT_OUTPUT_BUFFER_LIMIT))
                .isEqualTo("normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60");
        assertThat(config.show(Directives.MAXMEMORY_POLICY)).isEqualTo("noeviction");
        assertThat(config.show(Directives.PROTECTED_MODE)).isEqualTo("yes");
        assertThat(config.directives()).hasSameSizeAs(Directives.ALL);
    }

    @Test
    void configGetMatchesSeveralGlobsWithoutDuplicates() {
        Map<String, String> found = config.getMatching(List.of("maxmemory*", "MAXMEMORY", "port"));
        assertThat(found).containsExactly(
                Map.entry("maxmemory", "0"),
                Map.entry("maxmemory-policy", "noeviction"),
                Map.entry("maxmemory-clients", "0"),
                Map.entry("MAXMEMORY", "0"),
                Map.entry("port", "6379"));
        assertThat(config.getMatching(List.of("nosuch", "no*such"))).isEmpty();
    }

    @Test
    void configGetShowsAliases() {
        assertThat(config.getMatching(List.of("*time-limit", "busy-reply-threshold")))
                .containsExactly(Map.entry("lua-time-limit", "5000"), Map.entry("busy-reply-threshold", "5000"));
        int aliases = Directives.ALL.stream().mapToInt(d -> d.aliases().size()).sum();
        assertThat(config.getMatching(List.of("*"))).hasSize(Directives.ALL.size() + aliases);
    }

    @Test
    void configSetAppliesSeveralPairs() {
        assertThat(set("maxmemory", "1gb", "maxmemory-policy", "ALLKEYS-LRU", "lua-time-limit", "100").applied()).isTrue();
        assertThat(config.get(Directives.MAXMEMORY)).isEqualTo(1L << 30);
        assertThat(config.show(Directives.MAXMEMORY)).isEqualTo("1073741824");
        assertThat(config.show(Directives.MAXMEMORY_POLICY)).isEqualTo("allkeys-lru");
        assertThat(config.get(Directives.BUSY_REPLY_THRESHOLD)).isEqualTo(100L);
    }

    @Test
    void configSetIsAllOrNothing() {
        ConfigSetResult result = set("maxmemory", "1gb", "timeout", "soon");
        assertThat(result.error()).isEqualTo(
                "ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer");
        assertThat(config.get(Directives.MAXMEMORY)).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "maxmemory|lots|ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
            "maxmemory|-1|ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value",
            "maxmemory-clients|x|ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value",
            "maxmemory-clients|101%|ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100",
            "proto-max-bulk-len|1000|ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len') - argument must be between 1048576 and 9223372036854775807 inclusive",
            "maxclients|0|ERR CONFIG SET failed (possibly related to argument 'maxclients') - argument must be between 1 and 4294967295 inclusive",
            "timeout|01|ERR CONFIG SET failed (possibly related to argument 'timeout') - argument couldn't be parsed into an integer",
            "appendonly|maybe|ERR CONFIG SET failed (possibly related to argument 'appendonly') - argument must be 'yes' or 'no'",
            "maxmemory-policy|lru|ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction",
            "save|100|ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters",
            "save|0 1|ERR CONFIG SET failed (possibly related to argument 'save') - Invalid save parameters",
            "client-output-buffer-limit|normal 0 0|ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Wrong number of arguments in buffer limit configuration.",
            "client-output-buffer-limit|master 0 0 0|ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Invalid client class specified in buffer limit configuration.",
            "client-output-buffer-limit|pubsub 1x 0 0|ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit') - Error in hard, soft or soft_seconds setting in buffer limit configuration.",
            "notify-keyspace-events|KEq|ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.",
            "PORT|7000|ERR CONFIG SET failed (possibly related to argument 'PORT') - can't set immutable config",
            "daemonize|no|ERR CONFIG SET failed (possibly related to argument 'daemonize') - can't set immutable config",
            "compaction-dead-percent|30|ERR CONFIG SET failed (possibly related to argument 'compaction-dead-percent') - can't set immutable config",
            "no-such-thing|1|ERR Unknown option or number of arguments for CONFIG SET - 'no-such-thing'",
    })
    void configSetRefusesWithRedisTexts(String name, String value, String error) {
        assertThat(set(name, value).error()).isEqualTo(error);
    }

    @Test
    void configSetRefusesDuplicatesAndBadArity() {
        assertThat(set("timeout", "1", "TIMEOUT", "2").error())
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'TIMEOUT') - duplicate parameter");
        assertThat(set("timeout", "1", "lua-time-limit", "1", "busy-reply-threshold", "2").error())
                .isEqualTo("ERR CONFIG SET failed (possibly related to argument 'busy-reply-threshold') - duplicate parameter");
        assertThat(set("timeout").error()).isEqualTo("ERR syntax error");
        assertThat(set().error()).isEqualTo("ERR wrong number of arguments for 'config|set' command");
        assertThat(set("nope", "1", "port", "1").error())
                .isEqualTo("ERR Unknown option or number of arguments for CONFIG SET - 'nope'");
    }

    @Test
    void specialTypesRoundTrip() {
        assertThat(set("save", "").applied()).isTrue();
        assertThat(config.show(Directives.SAVE)).isEmpty();
        assertThat(set("save", "900 1 300 10").applied()).isTrue();
        assertThat(config.get(Directives.SAVE)).containsExactly(new SavePoint(900, 1), new SavePoint(300, 10));

        assertThat(set("client-output-buffer-limit", "pubsub 64mb 16mb 30 replica 1gb 0 0").applied()).isTrue();
        assertThat(config.show(Directives.CLIENT_OUTPUT_BUFFER_LIMIT))
                .isEqualTo("normal 0 0 0 slave 1073741824 0 0 pubsub 67108864 16777216 30");

        assertThat(set("notify-keyspace-events", "Exg$").applied()).isTrue();
        assertThat(config.show(Directives.NOTIFY_KEYSPACE_EVENTS)).isEqualTo("g$xE");
        assertThat(set("notify-keyspace-events", "AKE").applied()).isTrue();
        assertThat(config.show(Directives.NOTIFY_KEYSPACE_EVENTS)).isEqualTo("AKE");
        assertThat(set("notify-keyspace-events", "g$lshzxetdK").applied()).isTrue();
        assertThat(config.show(Directives.NOTIFY_KEYSPACE_EVENTS)).isEqualTo("AK");

        assertThat(set("maxmemory-clients", "10%").applied()).isTrue();
        assertThat(config.get(Directives.MAXMEMORY_CLIENTS)).isEqualTo(-10L);
        assertThat(config.show(Directives.MAXMEMORY_CLIENTS)).isEqualTo("10%");
    }

    @Test
    void listenersHearEveryCommittedChangeOnce() {
        List<String> heard = new ArrayList<>();
        config.addListener((d, oldValue, newValue) -> heard.add(d.name() + ":" + oldValue + "->" + newValue));
        List<Object> bulk = new ArrayList<>();
        config.addListener(Directives.PROTO_MAX_BULK_LEN, (d, oldValue, newValue) -> bulk.add(newValue));
        set("timeout", "5", "proto-max-bulk-len", "1mb");
        set("timeout", "5");
        set("timeout", "6", "maxclients", "zero"); // refused: nobody hears anything
        assertThat(heard).containsExactly("timeout:0->5", "proto-max-bulk-len:536870912->1048576");
        assertThat(bulk).containsExactly(1048576L);
    }

    @Test
    void findIsCaseInsensitiveAndKnowsAliases() {
        assertThat(config.find("LUA-TIME-LIMIT")).contains(Directives.BUSY_REPLY_THRESHOLD);
        assertThat(config.find("nope")).isEmpty();
        assertThat(config.names()).contains("lua-time-limit", "busy-reply-threshold");
    }
}
