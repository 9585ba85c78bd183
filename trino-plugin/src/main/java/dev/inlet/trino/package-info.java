/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The Trino connector {@code inlet}: Inlet tables as Trino tables, read through the union reader
 * (lake snapshot plus hot tail) with projection, filter and limit pushdown. See
 * {@code docs/trino.md}.
 */
package dev.inlet.trino;
