/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.it;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** A query's rows as strings (null as null), the way the end-to-end tests compare results exactly. */
public final class JdbcRows
{
    private JdbcRows() {}

    public static List<List<String>> rows(Statement sql, String query)
            throws SQLException
    {
        List<List<String>> rows = new ArrayList<>();
        try (ResultSet result = sql.executeQuery(query)) {
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(result.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }
}
