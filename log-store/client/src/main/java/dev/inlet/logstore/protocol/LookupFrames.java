/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import dev.inlet.catalog.model.Column;
import dev.inlet.catalog.model.DataType;
import dev.inlet.catalog.model.TypeRoot;
import dev.inlet.logstore.arrow.ArrowSchemas;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.util.List;

/**
 * The lookup port's wire protocol (docs/protocol.md, "Lookup port"): length-prefixed binary frames
 * on a plain TCP connection, one request answered before the next is read. It exists beside the
 * Flight lookup stream because a lookup there crosses five threads and allocates Arrow buffers per
 * message; here the caller's thread writes, the server's connection thread reads, looks up and
 * writes back, and the caller reads: two wake-ups per request.
 *
 * <p>Every frame is {@code length int32 | body}, big-endian. Strings are {@code length int32 |
 * UTF-8}. Bodies:
 * <ul>
 * <li>hello (client, first frame): {@code magic int32 | version int16 | token string} (empty:
 *     none); answered by a status frame: {@code 0} or {@code 1 | code string | message string},
 *     after which the server closes the connection;
 * <li>request: {@code id int64 | flags int8 (1 prefix, 2 insert-if-absent) | table string |
 *     tableId int64 | schemaId int32 | keyCount int32 | keys}, each key its key columns' values ({@link
 *     ValueCodec}; no nulls);
 * <li>answer: {@code id int64 | 0 | rowCount int32 | rows}, each row {@code keyIndex int32 |
 *     length int32 | row} in the stored-row layout ({@code schemaId int32 | null bitmap | the
 *     non-null values}) of the request's schema; or {@code id int64 | 1 | code string | message
 *     string} for a failed request (the connection stays usable).
 * </ul>
 */
public final class LookupFrames
{
    public static final int MAGIC = 0x494c4b31; // "ILK1"
    public static final short VERSION = 1;
    public static final byte FLAG_PREFIX = 1;
    public static final byte FLAG_INSERT_IF_ABSENT = 2;
    public static final byte STATUS_OK = 0;
    public static final byte STATUS_ERROR = 1;

    private LookupFrames() {}

    /** A decoded request; {@code keys} hold the key columns' values in {@link LookupMessages#keyColumns} order. */
    public record Request(long id, boolean prefix, boolean insertIfAbsent, String table, long tableId, int schemaId, ByteBuffer keys, int keyCount) {}

    /** Reads one frame's body into {@code buffer} (grown when too small); returns the buffer holding it, limited to the body. */
    public static ByteBuffer readFrame(DataInputStream in, ByteBuffer buffer, long maxBytes, String what)
            throws IOException
    {
        int length = in.readInt();
        if (length < 0 || length > maxBytes) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, what + " of " + Integer.toUnsignedString(length) + " bytes; at most " + maxBytes + " are accepted");
        }
        ByteBuffer body = buffer.capacity() >= length ? buffer.clear() : ByteBuffer.allocate(Math.max(length, buffer.capacity() * 2));
        in.readFully(body.array(), 0, length);
        return body.limit(length);
    }

    public static void writeHello(DataOutputStream out, String token)
            throws IOException
    {
        byte[] tokenBytes = token == null ? new byte[0] : token.getBytes(StandardCharsets.UTF_8);
        out.writeInt(4 + 2 + 4 + tokenBytes.length);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        out.writeInt(tokenBytes.length);
        out.write(tokenBytes);
        out.flush();
    }

    /** The token a hello carries (empty if none). */
    public static byte[] readHello(ByteBuffer body)
    {
        try {
            int magic = body.getInt();
            if (magic != MAGIC) {
                throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Not an Inlet lookup connection: the first frame starts with 0x" + Integer.toHexString(magic)
                        + ", not the lookup hello 0x" + Integer.toHexString(MAGIC));
            }
            short version = body.getShort();
            if (version != VERSION) {
                throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Lookup protocol version " + version + " is not served here; this hot store speaks version " + VERSION);
            }
            byte[] token = new byte[body.getInt()];
            body.get(token);
            return token;
        }
        catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "The lookup hello is cut short");
        }
    }

    public static void writeStatus(DataOutputStream out, InletException error)
            throws IOException
    {
        if (error == null) {
            out.writeInt(1);
            out.writeByte(STATUS_OK);
        }
        else {
            writeError(out, new byte[0], error);
        }
        out.flush();
    }

    /** Reads a status frame's body; throws the server's error if it is one. */
    public static void readStatus(ByteBuffer body)
    {
        if (body.get() != STATUS_OK) {
            throw error(body);
        }
    }

    /**
     * The request frame for {@code keys}, each the values of {@code keyColumns} of their classes
     * with no nulls (the client checks them first: {@code RowValidator.checkKey}).
     *
     * @throws IllegalArgumentException naming the key and column of a value the wire cannot hold
     */
    public static byte[] encodeRequest(long id, boolean prefix, boolean insertIfAbsent, String table, long tableId, int schemaId, List<Column> keyColumns, List<Object[]> keys)
    {
        byte[] name = table.getBytes(StandardCharsets.UTF_8);
        ValueCodec.Out out = new ValueCodec.Out(4 + 8 + 1 + 4 + name.length + 16 + keys.size() * 12 * keyColumns.size());
        out.writeInt(0); // the length, set last
        out.writeLong(id);
        out.writeByte((prefix ? FLAG_PREFIX : 0) | (insertIfAbsent ? FLAG_INSERT_IF_ABSENT : 0));
        out.writeLengthPrefixed(name);
        out.writeLong(tableId);
        out.writeInt(schemaId);
        out.writeInt(keys.size());
        for (int k = 0; k < keys.size(); k++) {
            Object[] key = keys.get(k);
            for (int c = 0; c < key.length; c++) {
                Column column = keyColumns.get(c);
                try {
                    ValueCodec.write(out, column.type(), storedPrecision(column.type(), key[c]));
                }
                catch (ArithmeticException e) {
                    throw new IllegalArgumentException("column '" + column.name() + "' cannot hold " + key[c].getClass().getSimpleName() + " value '" + key[c] + "' (lookup key " + k + " of " + table + ")", e);
                }
            }
        }
        byte[] frame = out.toByteArray();
        ByteBuffer.wrap(frame).putInt(0, frame.length - 4);
        return frame;
    }

    /**
     * A timestamp cut to the unit the table's Arrow column stores (sub-unit digits toward the past),
     * as a written row's key is: the lookup key then matches it byte for byte.
     */
    private static Object storedPrecision(DataType type, Object value)
    {
        if (type.root() != TypeRoot.TIMESTAMP && type.root() != TypeRoot.TIMESTAMP_LTZ) {
            return value;
        }
        int nanosPerUnit = switch (ArrowSchemas.timeUnit(type.precision())) {
            case MILLISECOND -> 1_000_000;
            case MICROSECOND -> 1_000;
            default -> 1;
        };
        if (value instanceof LocalDateTime time) {
            return time.withNano(time.getNano() - time.getNano() % nanosPerUnit);
        }
        Instant instant = (Instant) value;
        return instant.minusNanos(instant.getNano() % nanosPerUnit);
    }

    public static Request decodeRequest(ByteBuffer body)
    {
        try {
            long id = body.getLong();
            byte flags = body.get();
            byte[] name = new byte[body.getInt()];
            body.get(name);
            long tableId = body.getLong();
            int schemaId = body.getInt();
            int keyCount = body.getInt();
            if (keyCount < 0) {
                throw new InletException(InletErrorCode.MALFORMED_REQUEST, "A lookup request has " + keyCount + " keys");
            }
            return new Request(id, (flags & FLAG_PREFIX) != 0, (flags & FLAG_INSERT_IF_ABSENT) != 0, new String(name, StandardCharsets.UTF_8), tableId, schemaId, body, keyCount);
        }
        catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "A lookup request frame is cut short in its header");
        }
    }

    /** The keys of a request, each the values of {@code keyColumns}. */
    public static Object[][] readKeys(Request request, List<Column> keyColumns)
    {
        Object[][] keys = new Object[request.keyCount()][];
        ByteBuffer in = request.keys();
        for (int k = 0; k < keys.length; k++) {
            Object[] key = new Object[keyColumns.size()];
            for (int c = 0; c < key.length; c++) {
                try {
                    key[c] = ValueCodec.read(in, keyColumns.get(c).type());
                }
                catch (RuntimeException e) {
                    throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Lookup in " + request.table() + ": key " + k + " is cut short or not of the columns "
                            + keyColumns.stream().map(Column::name).toList() + " (at column '" + keyColumns.get(c).name() + "')", e);
                }
            }
            keys[k] = key;
        }
        if (in.hasRemaining()) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "Lookup in " + request.table() + ": " + in.remaining() + " bytes follow the " + keys.length
                    + " keys of the columns " + keyColumns.stream().map(Column::name).toList());
        }
        return keys;
    }

    /** Writes an answer: rows in the stored-row layout, each with the position of the key it answers. */
    public static void writeAnswer(DataOutputStream out, long id, List<byte[]> rows, List<Integer> keyIndexes)
            throws IOException
    {
        long length = 8 + 1 + 4;
        for (byte[] row : rows) {
            length += 8 + row.length;
        }
        if (length > Integer.MAX_VALUE) {
            throw new InletException(InletErrorCode.MALFORMED_REQUEST, "A lookup answer of " + length + " bytes does not fit a frame; look up fewer keys at a time");
        }
        out.writeInt((int) length);
        out.writeLong(id);
        out.writeByte(STATUS_OK);
        out.writeInt(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            out.writeInt(keyIndexes.get(r));
            out.writeInt(rows.get(r).length);
            out.write(rows.get(r));
        }
        out.flush();
    }

    public static void writeError(DataOutputStream out, long id, InletException error)
            throws IOException
    {
        writeError(out, ByteBuffer.allocate(8).putLong(id).array(), error);
        out.flush();
    }

    /** An error frame: {@code prefix} (a request's id, or nothing for a status), the error status, the code and the message. */
    private static void writeError(DataOutputStream out, byte[] prefix, InletException error)
            throws IOException
    {
        byte[] code = error.errorCode().name().getBytes(StandardCharsets.UTF_8);
        byte[] message = String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8);
        out.writeInt(prefix.length + 1 + 4 + code.length + 4 + message.length);
        out.write(prefix);
        out.writeByte(STATUS_ERROR);
        writeString(out, code);
        writeString(out, message);
    }

    /** Reads a stored-row-layout row of {@code columns} (schema {@code schemaId}) from {@code in}. */
    public static Object[] readRow(ByteBuffer in, int schemaId, List<Column> columns)
    {
        int rowSchema = in.getInt();
        if (rowSchema != schemaId) {
            throw new InletException(InletErrorCode.BATCH_SCHEMA_MISMATCH, "A lookup answer row has schema " + rowSchema + "; the request was for schema " + schemaId);
        }
        return ValueCodec.readValues(in, columns);
    }

    /** The server's error in an error body, positioned after its status byte. */
    public static InletException error(ByteBuffer body)
    {
        String code = readString(body);
        String message = readString(body);
        InletErrorCode errorCode;
        try {
            errorCode = InletErrorCode.valueOf(code);
        }
        catch (IllegalArgumentException e) {
            // a code this client does not know (a newer server): reported as a refused request, not a dead connection
            errorCode = InletErrorCode.MALFORMED_REQUEST;
        }
        return new InletException(errorCode, message);
    }

    private static void writeString(DataOutputStream out, byte[] bytes)
            throws IOException
    {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(ByteBuffer in)
    {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
