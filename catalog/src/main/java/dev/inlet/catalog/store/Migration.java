/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.store;

import java.util.List;
import java.util.function.Function;

/**
 * One step of the catalog database's schema. Steps are applied in version order, each in its own
 * transaction, and never edited once released: a change is a new step.
 *
 * @param version the schema version this step produces
 * @param description what it changes
 * @param statements the SQL for a dialect
 */
record Migration(int version, String description, Function<Dialect, List<String>> statements) {}
