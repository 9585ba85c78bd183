/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The tiering service (not built yet): the daemon that moves hot data into the Paimon and Iceberg tables created by the catalog, exactly once and fenced, with compaction and snapshot expiry.
 */
package dev.inlet.tiering;
