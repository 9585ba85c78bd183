/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * The hot-store server: tables and buckets served over Arrow Flight.
 */
package dev.inlet.logstore.server;
