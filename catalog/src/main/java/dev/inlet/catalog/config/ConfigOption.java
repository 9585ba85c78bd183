/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.config;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * One configuration key: its name, how its text becomes a value, its default and what it means.
 * Each module declares its keys as constants in one class; {@code conf/inlet.properties} documents
 * every one of them, and a test checks that it does.
 *
 * @param key the property name, e.g. {@code s3.endpoint}
 * @param parser turns the text into a value; throws IllegalArgumentException with a reason
 * @param defaultValue the value when the key is absent, or empty if the key has no default
 * @param description what the key means, for documentation and {@code --help}
 */
public record ConfigOption<T>(String key, Function<String, T> parser, Optional<T> defaultValue, String description)
{
    public ConfigOption
    {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(parser, "parser is null");
        Objects.requireNonNull(defaultValue, "defaultValue is null");
        Objects.requireNonNull(description, "description is null");
    }

    public static ConfigOption<String> string(String key, String defaultValue, String description)
    {
        return new ConfigOption<>(key, Function.identity(), Optional.ofNullable(defaultValue), description);
    }

    public static ConfigOption<Boolean> bool(String key, boolean defaultValue, String description)
    {
        return new ConfigOption<>(key, ConfigOption::parseBoolean, Optional.of(defaultValue), description);
    }

    public static ConfigOption<Integer> integer(String key, int defaultValue, String description)
    {
        return new ConfigOption<>(key, Integer::valueOf, Optional.of(defaultValue), description);
    }

    public static <E extends Enum<E>> ConfigOption<E> enumeration(String key, Function<String, E> parser, E defaultValue, String description)
    {
        return new ConfigOption<>(key, parser, Optional.ofNullable(defaultValue), description);
    }

    private static Boolean parseBoolean(String text)
    {
        return switch (text.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
        };
    }

    /** The default as it is written in a properties file; empty if there is none. */
    public String defaultText()
    {
        return defaultValue.map(v -> switch (v) {
            case Enum<?> e -> e.name().toLowerCase(java.util.Locale.ROOT);
            case java.time.Duration d -> Durations.format(d);
            default -> v.toString();
        }).orElse("");
    }
}
