/*
 * Licensed under the Apache License, Version 2.0 (see LICENSE).
 */
package dev.inlet.tiering.status;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Draws a {@link LagHistory} as an SVG image a browser shows: ingest rate (rows/s) over time per
 * table on top, rows not in the lake yet below. SVG, because it needs no graphics library and
 * stays sharp; each line carries its values in a {@code data-values} attribute, so the picture is
 * also machine-checkable.
 */
public final class LagPlot
{
    private static final int WIDTH = 960;
    private static final int PANEL_HEIGHT = 230;
    private static final int LEFT = 70;
    private static final int RIGHT = 220;
    private static final int TOP = 50;
    private static final int GAP = 60;
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"};

    private LagPlot() {}

    /** Writes the image to {@code file}, replacing it whole (a viewer never sees half a file). */
    public static void write(LagHistory history, Path file)
            throws IOException
    {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path temporary = Files.createTempFile(parent, ".lag-", ".svg");
        Files.writeString(temporary, svg(history), StandardCharsets.UTF_8);
        if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
            // a temporary file is private; the image is for whoever may read the folder
            Files.setPosixFilePermissions(temporary, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static String svg(LagHistory history)
    {
        int height = TOP + 2 * PANEL_HEIGHT + GAP + 40;
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" font-family=\"sans-serif\" font-size=\"12\">%n",
                WIDTH, height, WIDTH, height));
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        Instant start = history.start();
        String title = "Inlet tiering: ingest and lake lag per table (from " + DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault()).format(start) + ")";
        svg.append(text(LEFT, 24, escape(title), "font-size=\"15\" font-weight=\"bold\""));
        List<Series> rates = new ArrayList<>();
        List<Series> behind = new ArrayList<>();
        for (String table : history.tables()) {
            List<LagHistory.Sample> samples = history.samples(table);
            List<Double> rate = LagHistory.ingestRates(samples);
            rates.add(new Series(table, seconds(start, samples.subList(Math.min(1, samples.size()), samples.size())), rate));
            behind.add(new Series(table, seconds(start, samples), samples.stream().map(s -> (double) s.rowsBehind()).toList()));
        }
        double span = Math.max(1, history.tables().stream().flatMap(t -> history.samples(t).stream()).mapToDouble(s -> Duration.between(start, s.at()).toMillis() / 1000.0).max().orElse(1));
        panel(svg, "ingest (rows/s)", TOP, rates, span, v -> String.format(Locale.ROOT, "%.0f", v));
        panel(svg, "rows not in the lake yet", TOP + PANEL_HEIGHT + GAP, behind, span, v -> String.format(Locale.ROOT, "%.0f", v));
        svg.append(text(LEFT + (WIDTH - LEFT - RIGHT) / 2 - 40, height - 10, "seconds since start", ""));
        svg.append("</svg>\n");
        return svg.toString();
    }

    private record Series(String table, List<Double> x, List<Double> y) {}

    private static List<Double> seconds(Instant start, List<LagHistory.Sample> samples)
    {
        return samples.stream().map(s -> Duration.between(start, s.at()).toMillis() / 1000.0).toList();
    }

    private static void panel(StringBuilder svg, String label, int top, List<Series> series, double span, Function<Double, String> format)
    {
        int plotWidth = WIDTH - LEFT - RIGHT;
        double max = series.stream().flatMap(s -> s.y().stream()).mapToDouble(Double::doubleValue).max().orElse(0);
        double ceiling = niceCeiling(max);
        svg.append(text(LEFT, top - 8, escape(label), "font-weight=\"bold\""));
        for (int i = 0; i <= 4; i++) {
            double value = ceiling * i / 4;
            double y = top + PANEL_HEIGHT - PANEL_HEIGHT * (value / ceiling);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>%n", LEFT, y, LEFT + plotWidth, y));
            svg.append(text(LEFT - 8, (int) y + 4, format.apply(value), "text-anchor=\"end\""));
        }
        for (int i = 0; i <= 4; i++) {
            double x = LEFT + plotWidth * i / 4.0;
            svg.append(text((int) x, top + PANEL_HEIGHT + 16, String.format(Locale.ROOT, "%.0f", span * i / 4), "text-anchor=\"middle\""));
        }
        svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>%n", LEFT, top, plotWidth, PANEL_HEIGHT));
        for (int s = 0; s < series.size(); s++) {
            Series line = series.get(s);
            String color = COLORS[s % COLORS.length];
            StringBuilder points = new StringBuilder();
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < line.y().size(); i++) {
                double x = LEFT + plotWidth * (line.x().get(i) / span);
                double y = top + PANEL_HEIGHT - PANEL_HEIGHT * (line.y().get(i) / ceiling);
                points.append(String.format(Locale.ROOT, "%s%.1f,%.1f", i == 0 ? "" : " ", x, y));
                values.append(i == 0 ? "" : ",").append(format.apply(line.y().get(i)));
            }
            svg.append(String.format(Locale.ROOT, "<polyline data-table=\"%s\" data-values=\"%s\" points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n",
                    escape(line.table()), values, points, color));
            int legendY = top + 14 + 18 * s;
            svg.append(String.format(Locale.ROOT, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"3\"/>%n", LEFT + plotWidth + 15, legendY - 4,
                    LEFT + plotWidth + 35, legendY - 4, color));
            svg.append(text(LEFT + plotWidth + 40, legendY, escape(line.table()), ""));
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code max} (and at least 1). */
    static double niceCeiling(double max)
    {
        if (max <= 1) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= max) {
                return step * power;
            }
        }
        return 10 * power;
    }

    private static String text(int x, int y, String content, String attributes)
    {
        return String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" %s>%s</text>%n", x, y, attributes, content);
    }

    private static String escape(String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
