/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The union reader: one consistent table from an Inlet table's lake snapshot (Paimon or Iceberg)
 * and its hot tail, with projection, filter and limit pushdown, read as Arrow batches. Start at
 * {@link dev.inlet.union.UnionReader}; {@code docs/union-read.md} explains the protocol.
 */
package dev.inlet.union;
