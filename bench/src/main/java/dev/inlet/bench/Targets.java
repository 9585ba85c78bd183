/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.bench;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The stores the harness benchmarks. Kafka is always there; Inlet is found by name, so that the
 * harness builds and runs (Kafka only) before the Inlet side exists, and the Inlet side plugs in by
 * adding one class and nothing else.
 */
public final class Targets
{
    /**
     * THE PLUG-IN POINT FOR THE INLET SIDE. Add {@code bench/src/main/java/dev/inlet/bench/InletIngestTarget.java}:
     * a public class with a public no-argument constructor that implements {@link IngestTarget} and
     * {@link FetchTarget} (start an Inlet server on 127.0.0.1 under the session's directory, create
     * the table of {@link BenchSchema} bucketed by {@link BenchSchema#BUCKET_KEY}, write with the
     * Inlet client's writer using the {@link TargetConfig} batching, read with its scanner), and add
     * the Inlet modules it needs to {@code bench/pom.xml}. The harness then runs it next to Kafka
     * and prints the ratios; until then it prints that the Inlet side is not built yet.
     */
    public static final String INLET_TARGET_CLASS = "dev.inlet.bench.InletIngestTarget";

    private Targets() {}

    public static Supplier<IngestTarget> kafka(String brokerHeap)
    {
        return () -> new KafkaIngestTarget(brokerHeap);
    }

    /** A maker of Inlet targets, or empty while {@link #INLET_TARGET_CLASS} is not on the class path. */
    public static Optional<Supplier<IngestTarget>> inlet()
    {
        Class<?> type;
        try {
            type = Class.forName(INLET_TARGET_CLASS);
        }
        catch (ClassNotFoundException _) {
            return Optional.empty();
        }
        if (!IngestTarget.class.isAssignableFrom(type)) {
            throw new IllegalStateException(INLET_TARGET_CLASS + " does not implement " + IngestTarget.class.getName());
        }
        Constructor<? extends IngestTarget> constructor;
        try {
            constructor = type.asSubclass(IngestTarget.class).getConstructor();
        }
        catch (NoSuchMethodException e) {
            throw new IllegalStateException(INLET_TARGET_CLASS + " needs a public no-argument constructor", e);
        }
        return Optional.of(() -> {
            try {
                return constructor.newInstance();
            }
            catch (InvocationTargetException e) {
                throw new IllegalStateException("cannot make " + INLET_TARGET_CLASS, e.getCause());
            }
            catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot make " + INLET_TARGET_CLASS, e);
            }
        });
    }
}
