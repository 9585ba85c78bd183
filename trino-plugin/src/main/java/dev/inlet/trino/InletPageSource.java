/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.trino;

import dev.inlet.union.read.BatchSource;
import io.trino.spi.Page;
import io.trino.spi.block.Block;
import io.trino.spi.block.RunLengthEncodedBlock;
import io.trino.spi.connector.ConnectorPageSource;
import io.trino.spi.connector.SourcePage;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.util.List;

/** The batches of one union-reader split as Trino pages of the query's columns. */
final class InletPageSource
        implements ConnectorPageSource
{
    private final BatchSource batches;
    private final List<InletColumnHandle> columns;
    private long completedBytes;
    private long readTimeNanos;
    private boolean finished;

    InletPageSource(BatchSource batches, List<InletColumnHandle> columns)
    {
        this.batches = batches;
        this.columns = columns;
    }

    @Override
    public SourcePage getNextSourcePage()
    {
        if (finished) {
            return null;
        }
        long started = System.nanoTime();
        try (PluginContext ignored = PluginContext.enter(); VectorSchemaRoot batch = batches.next()) {
            if (batch == null) {
                finished = true;
                return null;
            }
            int rows = batch.getRowCount();
            if (columns.isEmpty()) {
                return SourcePage.create(rows);
            }
            Block[] blocks = new Block[columns.size()];
            for (int c = 0; c < blocks.length; c++) {
                InletColumnHandle column = columns.get(c);
                FieldVector vector = batch.getVector(column.getName());
                if (vector == null) {
                    // a column the split does not read (its table gained it after planning)
                    blocks[c] = RunLengthEncodedBlock.create(column.getType(), null, rows);
                    continue;
                }
                blocks[c] = ArrowBlocks.toBlock(column.getType(), vector, rows);
                completedBytes += vector.getBufferSize();
            }
            return SourcePage.create(new Page(rows, blocks));
        }
        finally {
            readTimeNanos += System.nanoTime() - started;
        }
    }

    @Override
    public long getCompletedBytes()
    {
        return completedBytes;
    }

    @Override
    public long getReadTimeNanos()
    {
        return readTimeNanos;
    }

    @Override
    public boolean isFinished()
    {
        return finished;
    }

    @Override
    public void close()
    {
        try (PluginContext ignored = PluginContext.enter()) {
            batches.close();
        }
    }
}
