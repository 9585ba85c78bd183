/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.cli;

import dev.inlet.catalog.cli.Causes;
import dev.inlet.catalog.cli.ExitCodes;
import dev.inlet.catalog.cli.TextTable;
import dev.inlet.local.LocalCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * {@code inlet sql}: runs one SQL statement on a Trino server through Trino's JDBC driver and
 * prints the result as a table; by default against the Trino of {@code inlet local}.
 */
@Command(name = "sql",
        description = "Run a SQL statement on Trino (by default the one inlet local starts) and print the result.",
        mixinStandardHelpOptions = true)
public final class SqlCommand
        implements Callable<Integer>
{
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "STATEMENT", description = "The statement, e.g. \"SELECT count(*) FROM inlet.demo.orders\".")
    String statement;

    @Option(names = "--server", paramLabel = "URL", description = "The Trino server (default: ${DEFAULT-VALUE}).")
    URI server = URI.create("http://127.0.0.1:" + LocalCommand.DEFAULT_TRINO_PORT);

    @Option(names = "--catalog", description = "Catalog of unqualified names (default: ${DEFAULT-VALUE}).")
    String catalog = "inlet";

    @Option(names = "--schema", description = "Schema of unqualified names (default: ${DEFAULT-VALUE}).")
    String schema = "demo";

    @Option(names = "--user", description = "User name to query as (default: ${DEFAULT-VALUE}).")
    String user = "inlet";

    @Override
    public Integer call()
    {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String url = "jdbc:trino://" + server.getHost() + ":" + (server.getPort() < 0 ? LocalCommand.DEFAULT_TRINO_PORT : server.getPort()) + "/" + catalog + "/" + schema;
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("SSL", Boolean.toString("https".equalsIgnoreCase(server.getScheme())));
        try (Connection connection = DriverManager.getConnection(url, properties); Statement sql = connection.createStatement()) {
            if (!sql.execute(statement)) {
                out.println("OK (" + sql.getUpdateCount() + " rows)");
                return ExitCodes.OK;
            }
            try (ResultSet result = sql.getResultSet()) {
                int columns = result.getMetaData().getColumnCount();
                List<String> header = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    header.add(result.getMetaData().getColumnLabel(c));
                }
                TextTable table = new TextTable(header.toArray(String[]::new));
                long rows = 0;
                while (result.next()) {
                    String[] row = new String[columns];
                    for (int c = 1; c <= columns; c++) {
                        String value = result.getString(c);
                        row[c - 1] = value == null ? "NULL" : value;
                    }
                    table.row(row);
                    rows++;
                }
                table.print(out);
                out.println("(" + rows + (rows == 1 ? " row)" : " rows)"));
            }
            return ExitCodes.OK;
        }
        catch (SQLException e) {
            if (Causes.has(e, ConnectException.class)) {
                err.println("inlet sql: cannot reach Trino at " + server + " (is inlet local running? pass --server for another Trino)");
                return ExitCodes.EXTERNAL;
            }
            err.println("inlet sql: " + e.getMessage());
            return ExitCodes.USER_ERROR;
        }
    }
}
