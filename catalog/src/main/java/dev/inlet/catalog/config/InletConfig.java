/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.config;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Inlet's configuration: {@code key=value} pairs from {@code conf/inlet.properties}, with
 * {@code ${env:NAME}} replaced by the environment variable {@code NAME} so that secrets need not be
 * written into the file. Immutable.
 */
public final class InletConfig
{
    private static final Pattern ENV = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

    private final Map<String, String> values;
    private final String source;

    private InletConfig(Map<String, String> values, String source)
    {
        this.values = Map.copyOf(values);
        this.source = source;
    }

    public static InletConfig empty()
    {
        return new InletConfig(Map.of(), "defaults");
    }

    public static InletConfig of(Map<String, String> values)
    {
        return new InletConfig(values, "given values");
    }

    /** Reads a properties file, resolving {@code ${env:NAME}} from the process environment. */
    public static InletConfig load(Path file)
    {
        return load(file, System::getenv);
    }

    public static InletConfig load(Path file, Function<String, String> environment)
    {
        requireNonNull(file, "file is null");
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        catch (IOException e) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Cannot read the configuration file " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            values.put(key, resolve(file, key, properties.getProperty(key), environment));
        }
        return new InletConfig(values, file.toString());
    }

    private static String resolve(Path file, String key, String value, Function<String, String> environment)
    {
        Matcher m = ENV.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1);
            String resolved = environment.apply(name);
            if (resolved == null) {
                throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Configuration key " + key + " in " + file + " refers to the environment variable "
                        + name + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(resolved));
        }
        m.appendTail(out);
        return out.toString().strip();
    }

    /** This configuration with {@code overrides} on top (e.g. from the command line). */
    public InletConfig with(Map<String, String> overrides)
    {
        Map<String, String> merged = new LinkedHashMap<>(values);
        merged.putAll(overrides);
        return new InletConfig(merged, source + " with overrides");
    }

    /** The value, or the default; an empty value counts as absent. */
    public <T> Optional<T> getOptional(ConfigOption<T> option)
    {
        String text = values.get(option.key());
        if (text == null || text.isBlank()) {
            return option.defaultValue();
        }
        try {
            return Optional.of(option.parser().apply(text));
        }
        catch (RuntimeException e) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Configuration key " + option.key() + " has the invalid value '" + text + "' (" + source + "): "
                    + e.getMessage(), e);
        }
    }

    /** The value or the default; fails naming the key when there is neither. */
    public <T> T get(ConfigOption<T> option)
    {
        return getOptional(option).orElseThrow(() -> new InletException(InletErrorCode.INVALID_CONFIGURATION,
                "Configuration key " + option.key() + " is required (" + option.description() + ")"));
    }

    public Map<String, String> values()
    {
        return values;
    }

    /** Fails naming every key that none of {@code known} declares: a typo must not pass silently. */
    public void checkKnown(Collection<ConfigOption<?>> known)
    {
        Set<String> names = known.stream().map(ConfigOption::key).collect(Collectors.toSet());
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(names);
        if (!unknown.isEmpty()) {
            throw new InletException(InletErrorCode.INVALID_CONFIGURATION, "Unknown configuration keys " + unknown + " in " + source
                    + "; see conf/inlet.properties for the keys Inlet reads");
        }
    }
}
