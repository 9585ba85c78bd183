/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.protocol;

import dev.inlet.catalog.error.InletErrorCode;
import dev.inlet.catalog.error.InletException;
import org.apache.arrow.flight.CallStatus;
import org.apache.arrow.flight.ErrorFlightMetadata;
import org.apache.arrow.flight.FlightRuntimeException;
import org.apache.arrow.flight.FlightStatusCode;

/**
 * Carries an {@link InletException} across Arrow Flight: the Flight status code says the kind
 * (stock Flight clients understand it), the description is the message, and the trailer
 * {@code inlet-error-code} keeps the exact {@link InletErrorCode} for Inlet's own client.
 */
public final class FlightErrors
{
    public static final String ERROR_CODE_KEY = "inlet-error-code";

    private FlightErrors() {}

    public static FlightRuntimeException toFlight(InletException e)
    {
        ErrorFlightMetadata metadata = new ErrorFlightMetadata();
        metadata.insert(ERROR_CODE_KEY, e.errorCode().name());
        CallStatus status = switch (e.errorCode()) {
            case TABLE_NOT_FOUND, DATABASE_NOT_FOUND, PARTITION_NOT_FOUND -> CallStatus.NOT_FOUND;
            case TABLE_ALREADY_EXISTS, DATABASE_ALREADY_EXISTS -> CallStatus.ALREADY_EXISTS;
            case UNAUTHENTICATED -> CallStatus.UNAUTHENTICATED;
            case CONCURRENT_MODIFICATION -> CallStatus.CANCELLED;
            default -> switch (e.errorCode().type()) {
                case USER_ERROR -> CallStatus.INVALID_ARGUMENT;
                case CONFLICT -> CallStatus.CANCELLED;
                case EXTERNAL -> CallStatus.UNAVAILABLE;
                case INTERNAL -> CallStatus.INTERNAL;
            };
        };
        return status.withDescription(e.getMessage()).withMetadata(metadata).withCause(e).toRuntimeException();
    }

    /** The Inlet error a Flight call failed with; errors not from an Inlet server become {@code SERVER_UNAVAILABLE} or {@code MALFORMED_REQUEST}. */
    public static InletException fromFlight(FlightRuntimeException e)
    {
        String message = e.status().description() == null || e.status().description().isEmpty() ? e.getMessage() : e.status().description();
        String code = e.status().metadata() == null || !e.status().metadata().containsKey(ERROR_CODE_KEY) ? null : e.status().metadata().get(ERROR_CODE_KEY);
        if (code != null) {
            try {
                return new InletException(InletErrorCode.valueOf(code), message, e);
            }
            catch (IllegalArgumentException unknown) {
                // an error code from a newer server: keep the message, classify by status below
            }
        }
        InletErrorCode fallback = switch (e.status().code()) {
            case UNAVAILABLE, TIMED_OUT, CANCELLED -> InletErrorCode.SERVER_UNAVAILABLE;
            case UNAUTHENTICATED, UNAUTHORIZED -> InletErrorCode.UNAUTHENTICATED;
            case NOT_FOUND -> InletErrorCode.TABLE_NOT_FOUND;
            case INTERNAL, UNKNOWN, UNIMPLEMENTED -> e.status().code() == FlightStatusCode.UNIMPLEMENTED ? InletErrorCode.MALFORMED_REQUEST : InletErrorCode.SERVER_UNAVAILABLE;
            default -> InletErrorCode.MALFORMED_REQUEST;
        };
        return new InletException(fallback, message, e);
    }
}
