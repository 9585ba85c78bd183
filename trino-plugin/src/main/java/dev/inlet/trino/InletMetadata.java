/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import io.trino.spi.connector.Assignment;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.ConstraintApplicationResult;
import io.trino.spi.connector.LimitApplicationResult;
import io.trino.spi.connector.ProjectionApplicationResult;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SchemaTablePrefix;
import io.trino.spi.connector.TableColumnsMetadata;
import io.trino.spi.expression.ConnectorExpression;
import io.trino.spi.predicate.TupleDomain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Schemas are Inlet databases; tables are Inlet tables, read as the union of their lake snapshot
 * and hot tail. Projection, filters and limits are pushed into the union reader.
 */
final class InletMetadata
        implements ConnectorMetadata
{
    private final InletCatalog catalog;

    InletMetadata(InletCatalog catalog)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    @Override
    public List<String> listSchemaNames(ConnectorSession session)
    {
        return catalog.listDatabases();
    }

    @Override
    public List<SchemaTableName> listTables(ConnectorSession session, Optional<String> schemaName)
    {
        List<String> schemas = schemaName.map(List::of).orElseGet(catalog::listDatabases);
        List<SchemaTableName> tables = new ArrayList<>();
        for (String schema : schemas) {
            if (!catalog.listDatabases().contains(schema)) {
                continue;
            }
            catalog.listTables(schema).forEach(path -> tables.add(new SchemaTableName(path.database(), path.table())));
        }
        return tables;
    }

    @Override
    public ConnectorTableHandle getTableHandle(ConnectorSession session, SchemaTableName name, Optional<ConnectorTableVersion> startVersion, Optional<ConnectorTableVersion> endVersion)
    {
        if (startVersion.isPresent() || endVersion.isPresent()) {
            throw new io.trino.spi.TrinoException(io.trino.spi.StandardErrorCode.NOT_SUPPORTED, "Inlet tables have no versions to travel to");
        }
        Optional<TableInfo> table = find(name);
        return table.map(t -> new InletTableHandle(name.getSchemaName(), name.getTableName(), t.tableId(), Optional.empty(), TupleDomain.all(), OptionalLong.empty()))
                .orElse(null);
    }

    private Optional<TableInfo> find(SchemaTableName name)
    {
        try {
            return catalog.findTable(new TablePath(name.getSchemaName(), name.getTableName()));
        }
        catch (IllegalArgumentException e) {
            // not a valid Inlet name, so not an Inlet table
            return Optional.empty();
        }
    }

    TableDescriptor descriptor(InletTableHandle handle)
    {
        return catalog.getTable(new TablePath(handle.getSchemaName(), handle.getTableName())).descriptor();
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        return new ConnectorTableMetadata(handle.schemaTableName(), columns(descriptor(handle)).stream().map(InletColumnHandle::toColumnMetadata).toList());
    }

    private static List<InletColumnHandle> columns(TableDescriptor descriptor)
    {
        return descriptor.columns().stream().map(InletMetadata::handle).toList();
    }

    private static InletColumnHandle handle(Column column)
    {
        return new InletColumnHandle(column.name(), TypeMapping.toTrino(column.type()));
    }

    @Override
    public Map<String, ColumnHandle> getColumnHandles(ConnectorSession session, ConnectorTableHandle table)
    {
        Map<String, ColumnHandle> handles = new LinkedHashMap<>();
        columns(descriptor((InletTableHandle) table)).forEach(c -> handles.put(c.getName(), c));
        return handles;
    }

    @Override
    public ColumnMetadata getColumnMetadata(ConnectorSession session, ConnectorTableHandle table, ColumnHandle column)
    {
        return ((InletColumnHandle) column).toColumnMetadata();
    }

    @Override
    public Iterator<TableColumnsMetadata> streamTableColumns(ConnectorSession session, SchemaTablePrefix prefix)
    {
        List<TableColumnsMetadata> result = new ArrayList<>();
        List<SchemaTableName> tables = prefix.getTable().isPresent()
                ? List.of(new SchemaTableName(prefix.getSchema().orElseThrow(), prefix.getTable().get()))
                : listTables(session, prefix.getSchema());
        for (SchemaTableName name : tables) {
            find(name).ifPresent(t -> result.add(TableColumnsMetadata.forTable(name, columns(t.descriptor()).stream().map(InletColumnHandle::toColumnMetadata).toList())));
        }
        return result.iterator();
    }

    @Override
    public Optional<ProjectionApplicationResult<ConnectorTableHandle>> applyProjection(ConnectorSession session, ConnectorTableHandle table, List<ConnectorExpression> projections,
            Map<String, ColumnHandle> assignments)
    {
        InletTableHandle handle = (InletTableHandle) table;
        Set<String> used = new HashSet<>();
        assignments.values().forEach(c -> used.add(((InletColumnHandle) c).getName()));
        List<String> columns = descriptor(handle).columnNames().stream().filter(used::contains).toList();
        if (handle.getColumns().isPresent() && handle.getColumns().get().equals(columns)) {
            return Optional.empty();
        }
        List<Assignment> result = assignments.entrySet().stream()
                .map(e -> new Assignment(e.getKey(), e.getValue(), ((InletColumnHandle) e.getValue()).getType()))
                .toList();
        return Optional.of(new ProjectionApplicationResult<>(handle.withColumns(columns), projections, result, false));
    }

    @Override
    public Optional<ConstraintApplicationResult<ConnectorTableHandle>> applyFilter(ConnectorSession session, ConnectorTableHandle table, Constraint constraint)
    {
        InletTableHandle handle = (InletTableHandle) table;
        TableDescriptor descriptor = descriptor(handle);
        TupleDomain<ColumnHandle> summary = constraint.getSummary();
        TupleDomain<ColumnHandle> enforced = DomainFilters.enforceable(descriptor, summary);
        TupleDomain<ColumnHandle> combined = handle.getConstraint().intersect(enforced);
        if (combined.equals(handle.getConstraint())) {
            return Optional.empty();
        }
        TupleDomain<ColumnHandle> remaining = summary.filter((column, domain) -> !enforced.getDomains().map(d -> d.containsKey(column)).orElse(false));
        return Optional.of(new ConstraintApplicationResult<>(handle.withConstraint(combined), remaining, constraint.getExpression(), false));
    }

    @Override
    public Optional<LimitApplicationResult<ConnectorTableHandle>> applyLimit(ConnectorSession session, ConnectorTableHandle table, long limit)
    {
        InletTableHandle handle = (InletTableHandle) table;
        if (handle.getLimit().isPresent() && handle.getLimit().getAsLong() <= limit) {
            return Optional.empty();
        }
        // a union of splits: each split stops at the limit, Trino keeps the final one
        return Optional.of(new LimitApplicationResult<>(handle.withLimit(limit), false, false));
    }
}
