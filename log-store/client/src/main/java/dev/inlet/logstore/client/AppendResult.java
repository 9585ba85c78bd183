/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.logstore.client;

/**
 * Where an appended row was stored: it is durable under the server's flush policy.
 *
 * @param partition partition name; empty if unpartitioned
 * @param bucket the bucket
 * @param offset the row's offset in the bucket's log
 */
public record AppendResult(String partition, int bucket, long offset) {}
