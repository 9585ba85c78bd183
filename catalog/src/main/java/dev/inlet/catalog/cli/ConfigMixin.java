/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import dev.inlet.catalog.CatalogSettings;
import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.config.ConfigOptionProvider;
import dev.inlet.catalog.config.InletConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The options every command that reads the configuration takes: {@code --config FILE} and
 * {@code --set key=value}. Without {@code --config} the file is {@code $INLET_CONF}, else
 * {@code $INLET_HOME/conf/inlet.properties}, else {@code conf/inlet.properties} in the working
 * directory, else the built-in defaults.
 */
public final class ConfigMixin
{
    @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (default: $INLET_CONF, $INLET_HOME/conf/inlet.properties or ./conf/inlet.properties).")
    Path configFile;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override one configuration key; repeatable.")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces with errors.")
    boolean verbose;

    public InletConfig config()
    {
        InletConfig base = configPath().map(InletConfig::load).orElseGet(InletConfig::empty);
        InletConfig config = base.with(overrides);
        config.checkKnown(ConfigOptionProvider.discover());
        return config;
    }

    public Optional<Path> configPath()
    {
        if (configFile != null) {
            return Optional.of(configFile);
        }
        String env = System.getenv("INLET_CONF");
        if (env != null && !env.isBlank()) {
            return Optional.of(Path.of(env));
        }
        String home = System.getenv("INLET_HOME");
        if (home != null && !home.isBlank() && Files.isRegularFile(Path.of(home, "conf", "inlet.properties"))) {
            return Optional.of(Path.of(home, "conf", "inlet.properties"));
        }
        Path local = Path.of("conf", "inlet.properties");
        return Files.isRegularFile(local) ? Optional.of(local) : Optional.empty();
    }

    public InletCatalog openCatalog()
    {
        return new InletCatalog(CatalogSettings.fromConfig(config()));
    }
}
