/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Left-aligned columns for terminal output, two spaces apart. */
public final class TextTable
{
    private final List<String[]> rows = new ArrayList<>();
    private final int width;

    public TextTable(String... header)
    {
        this.width = header.length;
        rows.add(header);
    }

    public TextTable row(String... cells)
    {
        if (cells.length != width) {
            throw new IllegalArgumentException("expected " + width + " cells, got " + cells.length);
        }
        rows.add(cells);
        return this;
    }

    public boolean isEmpty()
    {
        return rows.size() == 1;
    }

    public void print(PrintWriter out)
    {
        int[] widths = new int[width];
        for (String[] row : rows) {
            for (int i = 0; i < width; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < width; i++) {
                line.append(row[i]);
                if (i < width - 1) {
                    line.append(" ".repeat(widths[i] - row[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
