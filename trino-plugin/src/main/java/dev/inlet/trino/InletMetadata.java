/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.catalog.InletCatalog;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.TableDescriptor;
import dev.inlet.catalog.model.TableInfo;
import dev.inlet.catalog.model.TablePath;
import dev.inlet.catalog.model.TableValidator;
import dev.inlet.logstore.client.InletClient;
import dev.inlet.logstore.client.UpsertWriter;
import dev.inlet.logstore.client.WriterOptions;
import dev.inlet.union.ScanRequest;
import dev.inlet.union.UnionReader;
import dev.inlet.union.UnionScan;
import io.airlift.slice.Slice;
import io.trino.spi.StandardErrorCode;
import io.trino.spi.TrinoException;
import io.trino.spi.connector.Assignment;
import io.trino.spi.connector.ColumnHandle;
import io.trino.spi.connector.ColumnMetadata;
import io.trino.spi.connector.ColumnPosition;
import io.trino.spi.connector.ConnectorInsertTableHandle;
import io.trino.spi.connector.ConnectorMergeTableHandle;
import io.trino.spi.connector.ConnectorMetadata;
import io.trino.spi.connector.ConnectorOutputMetadata;
import io.trino.spi.connector.ConnectorSession;
import io.trino.spi.connector.ConnectorTableHandle;
import io.trino.spi.connector.ConnectorTableMetadata;
import io.trino.spi.connector.ConnectorTableVersion;
import io.trino.spi.connector.Constraint;
import io.trino.spi.connector.ConstraintApplicationResult;
import io.trino.spi.connector.LimitApplicationResult;
import io.trino.spi.connector.ProjectionApplicationResult;
import io.trino.spi.connector.RetryMode;
import io.trino.spi.connector.RowChangeParadigm;
import io.trino.spi.connector.SaveMode;
import io.trino.spi.connector.SchemaTableName;
import io.trino.spi.connector.SchemaTablePrefix;
import io.trino.spi.connector.SystemTable;
import io.trino.spi.connector.TableColumnsMetadata;
import io.trino.spi.expression.ConnectorExpression;
import io.trino.spi.predicate.TupleDomain;
import io.trino.spi.security.TrinoPrincipal;
import io.trino.spi.statistics.ComputedStatistics;
import io.trino.spi.statistics.Estimate;
import io.trino.spi.statistics.TableStatistics;

import java.util.ArrayList;
import java.util.Collection;
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
    private static final String MERGE_ROW_ID = "$merge_row_id";

    private final InletCatalog catalog;
    private final InletClient client;
    private final UnionReader reader;
    private final SystemTables systemTables;
    private final QueryMemo<SchemaTableName, TableDescriptor> descriptors = new QueryMemo<>();
    // by what decides the row count: the projection does not
    private final QueryMemo<List<Object>, TableStatistics> statistics = new QueryMemo<>();

    InletMetadata(InletCatalog catalog, InletClient client, UnionReader reader)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.client = requireNonNull(client, "client is null");
        this.reader = requireNonNull(reader, "reader is null");
        this.systemTables = new SystemTables(catalog, client, reader);
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
        boolean lakeOnly = false;
        SchemaTableName tableName = name;
        int dollar = name.getTableName().indexOf('$');
        if (dollar >= 0) {
            if (!name.getTableName().substring(dollar + 1).equals(SystemTables.LAKE)) {
                // the other suffixes are system tables (getSystemTable)
                return null;
            }
            lakeOnly = true;
            tableName = new SchemaTableName(name.getSchemaName(), name.getTableName().substring(0, dollar));
        }
        boolean lake = lakeOnly;
        SchemaTableName base = tableName;
        Optional<TableInfo> table = find(base);
        return table.map(t -> new InletTableHandle(base.getSchemaName(), base.getTableName(), t.tableId(), Optional.empty(), TupleDomain.all(), OptionalLong.empty(), lake))
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

    @Override
    public Optional<SystemTable> getSystemTable(ConnectorSession session, SchemaTableName name)
    {
        int dollar = name.getTableName().indexOf('$');
        if (dollar < 0) {
            return Optional.empty();
        }
        String kind = name.getTableName().substring(dollar + 1);
        Optional<TableInfo> table = find(new SchemaTableName(name.getSchemaName(), name.getTableName().substring(0, dollar)));
        if (table.isEmpty()) {
            return Optional.empty();
        }
        try (PluginContext ignored = PluginContext.enter()) {
            return systemTables.get(name, table.get(), kind);
        }
    }

    private TableDescriptor descriptor(ConnectorSession session, InletTableHandle handle)
    {
        return descriptors.get(session, handle.schemaTableName(), () -> catalog.getTable(new TablePath(handle.getSchemaName(), handle.getTableName())).descriptor());
    }

    @Override
    public ConnectorTableMetadata getTableMetadata(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        TableDescriptor descriptor = descriptor(session, handle);
        List<ColumnMetadata> columns = descriptor.columns().stream()
                .map(c -> ColumnMetadata.builder().setName(c.name()).setType(TypeMapping.toTrino(c.type())).setNullable(c.nullable()).setComment(c.comment()).build())
                .toList();
        return new ConnectorTableMetadata(handle.schemaTableName(), columns, TableProperties.of(descriptor), descriptor.comment());
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
        columns(descriptor(session, (InletTableHandle) table)).forEach(c -> handles.put(c.getName(), c));
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
    public void createSchema(ConnectorSession session, String schemaName, Map<String, Object> properties, TrinoPrincipal owner)
    {
        run(() -> catalog.createDatabase(schemaName, false));
    }

    @Override
    public void dropSchema(ConnectorSession session, String schemaName, boolean cascade)
    {
        run(() -> catalog.dropDatabase(schemaName, false, cascade));
    }

    @Override
    public void createTable(ConnectorSession session, ConnectorTableMetadata metadata, SaveMode saveMode)
    {
        if (saveMode == SaveMode.REPLACE) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Inlet tables cannot be replaced; drop the table first");
        }
        SchemaTableName name = metadata.getTable();
        TableDescriptor.Builder table = TableDescriptor.builder();
        for (ColumnMetadata column : metadata.getColumns()) {
            if (column.isHidden()) {
                continue;
            }
            table.column(column.getName(), TypeMapping.toInlet(column.getName(), column.getType()), column.isNullable());
        }
        try {
            TableProperties.apply(metadata.getProperties(), table);
        }
        catch (IllegalArgumentException e) {
            throw new TrinoException(StandardErrorCode.INVALID_TABLE_PROPERTY, "Table " + name + ": " + e.getMessage(), e);
        }
        metadata.getComment().ifPresent(table::comment);
        TablePath path = new TablePath(name.getSchemaName(), name.getTableName());
        run(() -> catalog.createTable(path, TableValidator.validate(path, table.build()), saveMode == SaveMode.IGNORE));
    }

    @Override
    public void dropTable(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        run(() -> catalog.dropTable(new TablePath(handle.getSchemaName(), handle.getTableName()), false));
    }

    @Override
    public void addColumn(ConnectorSession session, ConnectorTableHandle table, ColumnMetadata column, ColumnPosition position)
    {
        if (!(position instanceof ColumnPosition.Last)) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Inlet adds columns at the end of a table only");
        }
        InletTableHandle handle = (InletTableHandle) table;
        if (!column.isNullable()) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Column '" + column.getName() + "': a column added to an existing table must be nullable");
        }
        run(() -> catalog.addColumn(new TablePath(handle.getSchemaName(), handle.getTableName()), column.getName(), TypeMapping.toInlet(column.getName(), column.getType()), true,
                column.getComment()));
    }

    @Override
    public ConnectorInsertTableHandle beginInsert(ConnectorSession session, ConnectorTableHandle table, List<ColumnHandle> columns, RetryMode retryMode)
    {
        if (retryMode != RetryMode.NO_RETRIES) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Inlet inserts cannot be retried by fault-tolerant execution (retry_policy must be NONE)");
        }
        InletTableHandle handle = (InletTableHandle) table;
        return new InletInsertTableHandle(handle.getSchemaName(), handle.getTableName(), columns.stream().map(InletColumnHandle.class::cast).toList());
    }

    @Override
    public Optional<ConnectorOutputMetadata> finishInsert(ConnectorSession session, ConnectorInsertTableHandle insertHandle, List<ConnectorTableHandle> sourceTableHandles,
            Collection<Slice> fragments, Collection<ComputedStatistics> computedStatistics)
    {
        // every row was acknowledged by the hot store when its page sink finished
        return Optional.empty();
    }

    /**
     * Trino plans every {@code DELETE} as a merge first, then hands one whose filter the connector
     * enforces to {@link #applyDelete}; only that form is supported, so the merge row id is never
     * read.
     */
    @Override
    public RowChangeParadigm getRowChangeParadigm(ConnectorSession session, ConnectorTableHandle table)
    {
        return RowChangeParadigm.DELETE_ROW_AND_INSERT_ROW;
    }

    @Override
    public ColumnHandle getMergeRowIdColumnHandle(ConnectorSession session, ConnectorTableHandle table)
    {
        return new InletColumnHandle(MERGE_ROW_ID, io.trino.spi.type.BigintType.BIGINT);
    }

    @Override
    public ConnectorMergeTableHandle beginMerge(ConnectorSession session, ConnectorTableHandle table, Map<Integer, Collection<ColumnHandle>> updateCaseColumns, RetryMode retryMode)
    {
        InletTableHandle handle = (InletTableHandle) table;
        if (!descriptor(session, handle).hasPrimaryKey()) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Table " + handle.schemaTableName() + " is a log table: rows of a log table cannot be deleted or updated");
        }
        throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Table " + handle.schemaTableName() + ": DELETE supports filters on columns by values, one range or null tests "
                + "(e.g. WHERE id = 5, WHERE id IN (1, 2), WHERE day >= DATE '2026-11-01'); UPDATE and MERGE are not supported: INSERT the new row instead (a primary-key table keeps the newest)");
    }

    /**
     * {@code DELETE} of a primary-key table whose filter the connector enforces whole: the keys of
     * the rows the filter selects now are deleted through the hot store.
     */
    @Override
    public Optional<ConnectorTableHandle> applyDelete(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        if (!descriptor(session, handle).hasPrimaryKey()) {
            throw new TrinoException(StandardErrorCode.NOT_SUPPORTED, "Table " + handle.schemaTableName() + " is a log table: rows of a log table cannot be deleted");
        }
        return Optional.of(handle);
    }

    @Override
    public OptionalLong executeDelete(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        try (PluginContext ignored = PluginContext.enter()) {
            TablePath path = new TablePath(handle.getSchemaName(), handle.getTableName());
            TableDescriptor descriptor = descriptor(session, handle);
            ScanRequest keys = handle.scanRequest(descriptor, Optional.of(descriptor.primaryKey()), handle.getConstraint(), false);
            List<String> names = descriptor.columnNames();
            long deleted = 0;
            try (UnionScan scan = reader.scan(keys); UpsertWriter writer = client.newUpsertWriter(path.toString(), names, WriterOptions.defaults())) {
                List<String> keyColumns = scan.plan().scan().columns();
                Iterator<List<Object>> rows = scan.rowIterator();
                while (rows.hasNext()) {
                    List<Object> key = rows.next();
                    Object[] row = new Object[names.size()];
                    for (int k = 0; k < keyColumns.size(); k++) {
                        row[names.indexOf(keyColumns.get(k))] = key.get(k);
                    }
                    writer.delete(row);
                    deleted++;
                }
                writer.flush();
            }
            return OptionalLong.of(deleted);
        }
        catch (InletException e) {
            throw Errors.toTrino(e);
        }
    }

    /** Runs a catalog change, its Inlet errors as Trino errors (with the lake libraries' class loader). */
    private static void run(Runnable change)
    {
        try (PluginContext ignored = PluginContext.enter()) {
            change.run();
        }
        catch (InletException e) {
            throw Errors.toTrino(e);
        }
        catch (IllegalArgumentException e) {
            throw new TrinoException(StandardErrorCode.INVALID_ARGUMENTS, e.getMessage(), e);
        }
    }

    /**
     * The row count: the lake rows the plan would read (before a primary-key table's merge) plus
     * the hot tail; an estimate, as Trino uses it. Column statistics are not reported yet.
     */
    @Override
    public TableStatistics getTableStatistics(ConnectorSession session, ConnectorTableHandle table)
    {
        InletTableHandle handle = (InletTableHandle) table;
        try (PluginContext ignored = PluginContext.enter()) {
            return statistics.get(session, List.of(handle.getTableId(), handle.getConstraint(), handle.isLakeOnly()), () -> {
                TableDescriptor descriptor = descriptor(session, handle);
                ScanRequest request = handle.scanRequest(descriptor, Optional.of(List.of(descriptor.columnNames().getFirst())), handle.getConstraint(), false);
                long rows = reader.plan(request).splits().stream().mapToLong(dev.inlet.union.plan.Split::weight).sum();
                TableStatistics.Builder builder = TableStatistics.builder().setRowCount(Estimate.of(rows));
                LakeColumnStatistics.add(builder, catalog, catalog.getTable(request.table()), request.filter(), getColumnHandles(session, handle));
                return builder.build();
            });
        }
        catch (InletException e) {
            return TableStatistics.empty();
        }
    }

    @Override
    public Optional<ProjectionApplicationResult<ConnectorTableHandle>> applyProjection(ConnectorSession session, ConnectorTableHandle table, List<ConnectorExpression> projections,
            Map<String, ColumnHandle> assignments)
    {
        InletTableHandle handle = (InletTableHandle) table;
        Set<String> used = new HashSet<>();
        assignments.values().forEach(c -> used.add(((InletColumnHandle) c).getName()));
        List<String> columns = descriptor(session, handle).columnNames().stream().filter(used::contains).toList();
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
        TableDescriptor descriptor = descriptor(session, handle);
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
