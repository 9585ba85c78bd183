/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.InletConfig;
import org.junit.jupiter.api.Test;

import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shipped Trino catalog file names the connector and only keys the connector knows. */
class TestTrinoCatalogFile
{
    @Test
    void theShippedCatalogFileIsValid()
            throws Exception
    {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of("../conf/trino/inlet.properties"))) {
            properties.load(in);
        }
        Map<String, String> config = new HashMap<>();
        properties.stringPropertyNames().forEach(k -> config.put(k, properties.getProperty(k)));
        assertThat(config.remove("connector.name")).isEqualTo(InletConnectorFactory.NAME);
        InletConfig.of(config).checkKnown(ConfigOptionProvider.discover());
    }

    @Test
    void anUnknownKeyIsRefusedByName()
    {
        assertThatThrownBy(() -> new InletConnectorFactory().create("inlet", Map.of("server.endpont", "grpc://127.0.0.1:1"), null))
                .hasMessageContaining("server.endpont");
    }
}
