/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV: fields separated by commas, optionally in double quotes; a quote inside a
 * quoted field is doubled; a quoted field may span lines. An unquoted empty field is null, a
 * quoted empty field ("") is the empty string. Reports the line a record starts on.
 */
final class CsvReader
{
    private final BufferedReader in;
    private int line;
    private int recordLine;

    CsvReader(BufferedReader in)
    {
        this.in = in;
    }

    /** The line number (1-based) where the last record returned started. */
    int recordLine()
    {
        return recordLine;
    }

    /** The next record's fields, or null at the end. */
    List<String> next()
            throws IOException
    {
        String text = in.readLine();
        if (text == null) {
            return null;
        }
        line++;
        recordLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int i = 0;
        while (true) {
            if (i == text.length()) {
                if (quoted) {
                    String more = in.readLine();
                    if (more == null) {
                        throw new IOException("line " + recordLine + ": a quoted field is not closed before the end of the input");
                    }
                    line++;
                    field.append('\n');
                    text = more;
                    i = 0;
                    continue;
                }
                fields.add(wasQuoted || !field.isEmpty() ? field.toString() : null);
                return fields;
            }
            char c = text.charAt(i++);
            if (quoted) {
                if (c == '"') {
                    if (i < text.length() && text.charAt(i) == '"') {
                        field.append('"');
                        i++;
                    }
                    else {
                        quoted = false;
                    }
                }
                else {
                    field.append(c);
                }
            }
            else if (c == '"' && field.isEmpty()) {
                quoted = true;
                wasQuoted = true;
            }
            else if (c == ',') {
                fields.add(wasQuoted || !field.isEmpty() ? field.toString() : null);
                field.setLength(0);
                wasQuoted = false;
            }
            else {
                field.append(c);
            }
        }
    }
}
