/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

import dev.inlet.logstore.protocol.LookupMessages;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Point and prefix lookups of {@link InletClient}: on the server's lookup port ({@link
 * LookupConnections}) when it has one, else on the table's Flight lookup stream ({@link LookupStream}).
 */
final class Lookups
{
    private Lookups() {}

    static List<Object[]> point(InletClient client, TableHandle table, List<Object[]> keys, boolean insertIfAbsent)
    {
        List<Object[]> answer = new ArrayList<>(Arrays.asList(new Object[keys.size()][]));
        request(client, table, keys, false, insertIfAbsent, (index, row) -> answer.set(index, row));
        return answer;
    }

    static List<List<Object[]>> prefix(InletClient client, TableHandle table, List<Object[]> prefixes)
    {
        List<List<Object[]>> answer = new ArrayList<>();
        prefixes.forEach(p -> answer.add(new ArrayList<>()));
        request(client, table, prefixes, true, false, (index, row) -> answer.get(index).add(row));
        return answer;
    }

    private interface RowSink
    {
        void accept(int keyIndex, Object[] row);
    }

    private static List<Object[]> check(TableHandle table, List<Object[]> keys, boolean prefix)
    {
        List<String> names = table.descriptor().columnNames();
        int[] keyColumns = LookupMessages.keyColumns(table.descriptor(), prefix).stream().mapToInt(c -> names.indexOf(c.name())).toArray();
        RowValidator validator = new RowValidator(table.path(), table.descriptor());
        List<Object[]> checked = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            checked.add(validator.checkKey(keyColumns, keys.get(k), (prefix ? "lookup prefix " : "lookup key ") + k));
        }
        return checked;
    }

    private static void request(InletClient client, TableHandle table, List<Object[]> keys, boolean prefix, boolean insertIfAbsent, RowSink sink)
    {
        // checked once here, the same whichever way the request goes: a bad key sends nothing
        List<Object[]> checked = check(table, keys, prefix);
        LookupConnections port = client.lookupConnections();
        List<LookupStream.RowAt> rows = port.available() ? port.request(table, prefix, checked, insertIfAbsent) : null;
        if (rows == null) {
            rows = client.lookupOnStream(table, prefix, checked, insertIfAbsent);
        }
        for (LookupStream.RowAt row : rows) {
            sink.accept(row.keyIndex(), row.row());
        }
    }
}
