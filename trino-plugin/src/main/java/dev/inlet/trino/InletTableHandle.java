/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.filter.Filter;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.predicate.TupleDomain;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

import static java.util.Objects.requireNonNull;

/**
 * An Inlet table as a scan will read it: the table (by name and id), the columns the query uses
 * (empty: not narrowed yet), the filter the connector enforces, and the limit.
 */
public final class InletTableHandle
        implements ConnectorTableHandle
{
    private final String schemaName;
    private final String tableName;
    private final long tableId;
    private final Optional<List<String>> columns;
    private final TupleDomain<ColumnHandle> constraint;
    private final OptionalLong limit;
    private final boolean lakeOnly;

    @JsonCreator
    public InletTableHandle(
            @JsonProperty("schemaName") String schemaName,
            @JsonProperty("tableName") String tableName,
            @JsonProperty("tableId") long tableId,
            @JsonProperty("columns") Optional<List<String>> columns,
            @JsonProperty("constraint") TupleDomain<ColumnHandle> constraint,
            @JsonProperty("limit") OptionalLong limit,
            @JsonProperty("lakeOnly") boolean lakeOnly)
    {
        this.schemaName = requireNonNull(schemaName, "schemaName is null");
        this.tableName = requireNonNull(tableName, "tableName is null");
        this.tableId = tableId;
        this.columns = columns.map(List::copyOf);
        this.constraint = requireNonNull(constraint, "constraint is null");
        this.limit = requireNonNull(limit, "limit is null");
        this.lakeOnly = lakeOnly;
    }

    /** Whether this is {@code "t$lake"}: the lake snapshot alone, without the hot tail. */
    @JsonProperty
    public boolean isLakeOnly()
    {
        return lakeOnly;
    }

    @JsonProperty
    public String getSchemaName()
    {
        return schemaName;
    }

    @JsonProperty
    public String getTableName()
    {
        return tableName;
    }

    @JsonProperty
    public long getTableId()
    {
        return tableId;
    }

    @JsonProperty
    public Optional<List<String>> getColumns()
    {
        return columns;
    }

    @JsonProperty
    public TupleDomain<ColumnHandle> getConstraint()
    {
        return constraint;
    }

    @JsonProperty
    public OptionalLong getLimit()
    {
        return limit;
    }

    public SchemaTableName schemaTableName()
    {
        return new SchemaTableName(schemaName, tableName);
    }

    /**
     * The union read of this handle: its columns (or {@code columns} instead), its filter with
     * {@code constraint} (enforceable domains only), its limit and lake-only flag.
     */
    ScanRequest scanRequest(TableDescriptor descriptor, Optional<List<String>> columns, TupleDomain<ColumnHandle> constraint, boolean withLimit)
    {
        Filter filter = DomainFilters.toFilter(descriptor, constraint);
        List<String> read = columns.orElse(this.columns.orElse(descriptor.columnNames()));
        return new ScanRequest(new TablePath(schemaName, tableName), Optional.of(read), filter, withLimit ? limit.orElse(-1) : -1, lakeOnly);
    }

    InletTableHandle withColumns(List<String> newColumns)
    {
        return new InletTableHandle(schemaName, tableName, tableId, Optional.of(newColumns), constraint, limit, lakeOnly);
    }

    InletTableHandle withConstraint(TupleDomain<ColumnHandle> newConstraint)
    {
        return new InletTableHandle(schemaName, tableName, tableId, columns, newConstraint, limit, lakeOnly);
    }

    InletTableHandle withLimit(long newLimit)
    {
        return new InletTableHandle(schemaName, tableName, tableId, columns, constraint, OptionalLong.of(newLimit), lakeOnly);
    }

    @Override
    public boolean equals(Object o)
    {
        return o instanceof InletTableHandle other && schemaName.equals(other.schemaName) && tableName.equals(other.tableName) && tableId == other.tableId
                && columns.equals(other.columns) && constraint.equals(other.constraint) && limit.equals(other.limit) && lakeOnly == other.lakeOnly;
    }

    @Override
    public int hashCode()
    {
        return Objects.hash(schemaName, tableName, tableId, columns, constraint, limit, lakeOnly);
    }

    @Override
    public String toString()
    {
        StringBuilder text = new StringBuilder(schemaName).append('.').append(tableName).append(lakeOnly ? "$lake" : "");
        columns.ifPresent(c -> text.append(" columns=").append(c));
        if (!constraint.isAll()) {
            text.append(" constraint=").append(constraint.getDomains().map(d -> d.keySet().toString()).orElse("NONE"));
        }
        limit.ifPresent(l -> text.append(" limit=").append(l));
        return text.toString();
    }
}
