/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import kafka.Kafka;
import kafka.tools.StorageTool;

import java.io.IOException;

/**
 * The entry point of the broker JVM that {@link KafkaBroker} starts: formats the KRaft storage
 * directory as {@code kafka-storage format} does, then runs {@code kafka.Kafka}, the class behind
 * {@code kafka-server-start.sh}. Arguments: the server properties file and the cluster id.
 *
 * <p>The harness keeps this JVM's standard input open and never writes to it; when the harness
 * dies, even by SIGKILL, the input reaches end-of-file and this JVM halts, so that no broker is
 * left running after a benchmark.
 */
public final class KafkaBrokerMain
{
    private KafkaBrokerMain() {}

    public static void main(String[] args)
    {
        if (args.length != 2) {
            System.err.println("usage: KafkaBrokerMain SERVER_PROPERTIES CLUSTER_ID");
            System.exit(2);
        }
        haltWhenParentExits();
        int status = StorageTool.execute(new String[] {"format", "--config", args[0], "--cluster-id", args[1], "--ignore-formatted"}, System.out);
        if (status != 0) {
            System.err.println("kafka-storage format failed with status " + status);
            System.exit(status);
        }
        Kafka.main(new String[] {args[0]});
    }

    private static void haltWhenParentExits()
    {
        Thread.ofPlatform().daemon().name("parent-watchdog").start(() -> {
            try {
                while (System.in.read() != -1) {
                    // the parent writes nothing; read until its end of the pipe closes
                }
            }
            catch (IOException ignored) {
                // a broken pipe means the same: the parent is gone
            }
            // halt, not exit: the data is throwaway, and a clean shutdown could hang without a parent
            Runtime.getRuntime().halt(3);
        });
    }
}
