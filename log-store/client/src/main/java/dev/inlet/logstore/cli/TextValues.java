/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.cli;

import dev.inlet.catalog.model.DataType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Locale;

/**
 * Column values as people type and read them: numbers, {@code true}/{@code false}, ISO-8601 dates
 * and timestamps ({@code 2026-11-26}, {@code 2026-11-26T10:15:30.5} or with a space, and for
 * TIMESTAMP_LTZ an instant such as {@code 2026-11-26T10:15:30Z} or one with an offset), BYTES in
 * base64. Null is null; an empty text is the empty string for STRING and null otherwise.
 */
public final class TextValues
{
    private TextValues() {}

    /** @throws IllegalArgumentException saying what the text should look like */
    public static Object parse(DataType type, String text)
    {
        if (text == null) {
            return null;
        }
        if (text.isEmpty()) {
            return type.root() == dev.inlet.catalog.model.TypeRoot.STRING ? "" : null;
        }
        String t = text.strip();
        try {
            return switch (type.root()) {
                case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "true" -> true;
                    case "false" -> false;
                    default -> throw new IllegalArgumentException("expected true or false");
                };
                case TINYINT -> Byte.parseByte(t);
                case SMALLINT -> Short.parseShort(t);
                case INT -> Integer.parseInt(t);
                case BIGINT -> Long.parseLong(t);
                case FLOAT -> Float.parseFloat(t);
                case DOUBLE -> Double.parseDouble(t);
                case DECIMAL -> decimal(type, new BigDecimal(t));
                case STRING -> text;
                case BYTES -> Base64.getDecoder().decode(t);
                case DATE -> LocalDate.parse(t);
                case TIMESTAMP -> LocalDateTime.parse(t.replace(' ', 'T'));
                case TIMESTAMP_LTZ -> t.endsWith("Z") ? Instant.parse(t.replace(' ', 'T')) : OffsetDateTime.parse(t.replace(' ', 'T')).toInstant();
            };
        }
        catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + type + " (" + hint(type) + ")");
        }
        catch (ValueOutOfRange e) {
            throw new IllegalArgumentException(e.getMessage());
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a " + type + " (" + hint(type) + ")");
        }
    }

    /** The value at the type's scale; a value that needs rounding or more digits is refused. */
    private static BigDecimal decimal(DataType type, BigDecimal value)
    {
        BigDecimal scaled;
        try {
            scaled = value.setScale(type.scale(), java.math.RoundingMode.UNNECESSARY);
        }
        catch (ArithmeticException e) {
            throw new ValueOutOfRange(type + " cannot hold " + value.toPlainString() + " without rounding");
        }
        if (scaled.precision() > type.precision()) {
            throw new ValueOutOfRange(type + " cannot hold " + value.toPlainString() + ": too many digits");
        }
        return scaled;
    }

    /** A well-formed value its type cannot hold; the message says why, without the format hint. */
    private static final class ValueOutOfRange
            extends IllegalArgumentException
    {
        ValueOutOfRange(String message)
        {
            super(message);
        }
    }

    private static String hint(DataType type)
    {
        return switch (type.root()) {
            case BOOLEAN -> "true or false";
            case TINYINT, SMALLINT, INT, BIGINT -> "a whole number in range";
            case FLOAT, DOUBLE, DECIMAL -> "a number such as 12.50";
            case STRING -> "text";
            case BYTES -> "base64";
            case DATE -> "e.g. 2026-11-26";
            case TIMESTAMP -> "e.g. 2026-11-26T10:15:30.123";
            case TIMESTAMP_LTZ -> "e.g. 2026-11-26T10:15:30Z or 2026-11-26T11:15:30+01:00";
        };
    }

    /** The text {@link #parse} reads back; null is the empty string. */
    public static String format(Object value)
    {
        return switch (value) {
            case null -> "";
            case BigDecimal d -> d.toPlainString();
            case byte[] b -> Base64.getEncoder().encodeToString(b);
            default -> value.toString();
        };
    }
}
