/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.config.ConfigOption;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.InletConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code conf/inlet.properties} and {@code docs/configuration.md} document every key Inlet reads, with its default. */
class TestConfigurationFile
{
    private static final Path ROOT = Path.of(System.getProperty("inlet.project.root", ".."));

    @Test
    void everyKeyIsInTheShippedFileWithItsDefault()
            throws Exception
    {
        List<String> lines = Files.readAllLines(ROOT.resolve("conf/inlet.properties"));
        List<ConfigOption<?>> options = ConfigOptionProvider.discover();
        assertThat(options).isNotEmpty();
        for (ConfigOption<?> option : options) {
            int at = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith(option.key() + "=") || lines.get(i).startsWith("#" + option.key() + "=")) {
                    at = i;
                }
            }
            assertThat(at).as("conf/inlet.properties sets or shows key %s", option.key()).isNotNegative();
            String comment = String.join(" ", collectComment(lines, at));
            String expectedDefault = option.defaultText().isEmpty() ? "Default: (empty)" : "Default: " + option.defaultText();
            assertThat(comment).as("the comment above %s states its default", option.key()).contains(expectedDefault);
        }
        // and the file has no key Inlet does not read
        InletConfig.load(ROOT.resolve("conf/inlet.properties"), name -> "x").checkKnown(options);
    }

    @Test
    void everyKeyIsInTheDocs()
            throws Exception
    {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
        for (ConfigOption<?> option : ConfigOptionProvider.discover()) {
            assertThat(docs).as("docs/configuration.md documents %s", option.key()).contains("| `" + option.key() + "` |");
        }
    }

    private static List<String> collectComment(List<String> lines, int keyLine)
    {
        int start = keyLine;
        while (start > 0 && lines.get(start - 1).startsWith("#") && !lines.get(start - 1).startsWith("# ---")) {
            start--;
        }
        return lines.subList(start, keyLine);
    }
}
