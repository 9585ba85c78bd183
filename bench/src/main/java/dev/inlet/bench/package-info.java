/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */

/**
 * Benchmarks (none yet): harnesses that compare Inlet against baselines measured in the same run and print the ratios.
 */
package dev.inlet.bench;
