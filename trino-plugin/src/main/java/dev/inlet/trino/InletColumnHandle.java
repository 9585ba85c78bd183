/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.type.Type;

import static java.util.Objects.requireNonNull;

/** A column of an Inlet table: its name and its Trino type (see {@link TypeMapping}). */
public final class InletColumnHandle
        implements ColumnHandle
{
    private final String name;
    private final Type type;

    @JsonCreator
    public InletColumnHandle(@JsonProperty("name") String name, @JsonProperty("type") Type type)
    {
        this.name = requireNonNull(name, "name is null");
        this.type = requireNonNull(type, "type is null");
    }

    @JsonProperty
    public String getName()
    {
        return name;
    }

    @JsonProperty
    public Type getType()
    {
        return type;
    }

    public ColumnMetadata toColumnMetadata()
    {
        return new ColumnMetadata(name, type);
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof InletColumnHandle other && name.equals(other.name) && type.equals(other.type);
    }

    @Override
    public int hashCode()
    {
        return name.hashCode() * 31 + type.hashCode();
    }

    @Override
    public String toString()
    {
        return name + ":" + type;
    }
}
