/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The tiering service: moves hot data into the Paimon and Iceberg tables the catalog created,
 * exactly once. A {@link dev.inlet.tiering.TieringRound} takes one table from the offsets its lake
 * table holds to the hot store's end, as one lake snapshot whose properties carry the new offsets
 * (see {@code docs/tiering.md}). The daemon, leases, Iceberg and maintenance are not built yet.
 */
package dev.inlet.tiering;
