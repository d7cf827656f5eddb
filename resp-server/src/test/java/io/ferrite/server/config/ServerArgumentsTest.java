package io.ferrite.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerArgumentsTest {

    @Test
    void firstPositionalArgumentIsTheConfigFile() {
        ServerArguments arguments = ServerArguments.parse("/etc/ferrite.conf", "--port", "7000");
        assertThat(arguments.configFile()).contains(Path.of("/etc/ferrite.conf"));
        assertThat(arguments.options()).isEqualTo("port \"7000\" ");
    }

    @Test
    void wordsUpToTheNextOptionFormTheValue() {
        ServerArguments arguments = ServerArguments.parse("--port", "7000", "--save", "900", "1", "300", "10", "--dir", "/x");
        assertThat(arguments.configFile()).isEmpty();
        assertThat(arguments.options()).isEqualTo("port \"7000\" \nsave \"900\" \"1\" \"300\" \"10\" \ndir \"/x\" ");
    }

    @Test
    void bareSaveMeansNoSnapshots() {
        assertThat(ServerArguments.parse("--save", "--port", "1").options()).isEqualTo("save \"\"\nport \"1\" ");
        assertThat(ServerArguments.parse("--port", "1", "--save").options()).isEqualTo("port \"1\" \nsave \"\"");
        assertThat(ServerArguments.parse("--save", "").options()).isEqualTo("save \"\" ");
    }

    @Test
    void valueMayStartWithDashesRightAfterItsName() {
        assertThat(ServerArguments.parse("--requirepass", "--secret--").options()).isEqualTo("requirepass \"--secret--\" ");
    }

    @Test
    void nameAndValueInOneWord() {
        assertThat(ServerArguments.parse("--port 6380", "--timeout", "5").options()).isEqualTo("port 6380 \ntimeout \"5\" ");
    }

    @Test
    void configOptionNamesTheFile() {
        ServerArguments arguments = ServerArguments.parse("--port", "1", "--config", "my.conf");
        assertThat(arguments.configFile()).contains(Path.of("my.conf"));
        assertThat(arguments.options()).isEqualTo("port \"1\" ");
        assertThatThrownBy(() -> ServerArguments.parse("--config")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesAreQuotedSoTheyParseBack() {
        assertThat(ServerArguments.parse("--dir", "/a \"b\"").options()).isEqualTo("dir \"/a \\\"b\\\"\" ");
    }

    @Test
    void standardInputIsNotSupported() {
        assertThatThrownBy(() -> ServerArguments.parse("-")).isInstanceOf(IllegalArgumentException.class);
    }
}
