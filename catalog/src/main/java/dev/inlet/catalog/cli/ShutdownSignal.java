/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.catalog.cli;

import sun.misc.Signal;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for Ctrl-C (SIGINT) or SIGTERM so that a long-running command can stop on its own terms:
 * finish in-flight work, close files, print that it stopped, and exit 0. A JVM shutdown hook
 * cannot do that, because the JVM halts as soon as the hooks return and a hook cannot wait for
 * the main thread safely. A second signal during the stop falls back to the JVM's default and
 * ends the process at once.
 */
public final class ShutdownSignal
{
    private final CountDownLatch received = new CountDownLatch(1);
    private final AtomicReference<String> name = new AtomicReference<>();

    private ShutdownSignal() {}

    /** Starts listening for SIGINT and SIGTERM. */
    public static ShutdownSignal install()
    {
        ShutdownSignal signal = new ShutdownSignal();
        for (String s : new String[] {"INT", "TERM"}) {
            Signal.handle(new Signal(s), sig -> {
                if (signal.name.compareAndSet(null, "SIG" + sig.getName())) {
                    signal.received.countDown();
                }
                else {
                    Runtime.getRuntime().halt(ExitCodes.INTERRUPTED);
                }
            });
        }
        return signal;
    }

    /** Whether a signal has arrived (for loops that check between steps). */
    public boolean received()
    {
        return received.getCount() == 0;
    }

    /**
     * Blocks until a signal arrives or {@code timeout} passes (for loops that report between
     * waits); returns the signal's name, or empty if none arrived.
     */
    public java.util.Optional<String> await(java.time.Duration timeout)
            throws InterruptedException
    {
        return received.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) ? java.util.Optional.of(name.get()) : java.util.Optional.empty();
    }

    /** Blocks until a signal arrives; returns its name, e.g. {@code SIGTERM}. */
    public String await()
            throws InterruptedException
    {
        received.await();
        return name.get();
    }
}
