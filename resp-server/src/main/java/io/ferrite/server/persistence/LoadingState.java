package io.ferrite.server.persistence;

/**
 * Whether the dataset is being loaded, and how far it got: commands meanwhile answer Redis's
 * {@code -LOADING} error, and INFO shows the progress ({@code loading_loaded_perc}, ...).
 */
public final class LoadingState {
    private volatile boolean loading;
    private volatile long startedMillis;
    private volatile long totalBytes;
    private volatile long loadedBytes;

    /** Marks loading before the server listens, so that no command runs before the data is in. */
    void expect() {
        this.startedMillis = System.currentTimeMillis();
        this.loading = true;
    }

    void begin(long startedMillis, long totalBytes) {
        this.startedMillis = startedMillis;
        this.totalBytes = totalBytes;
        this.loadedBytes = 0;
        this.loading = true;
    }

    void loaded(long bytes) {
        loadedBytes = bytes;
    }

    void end() {
        loading = false;
    }

    public boolean loading() {
        return loading;
    }

    public long startedMillis() {
        return startedMillis;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public long loadedBytes() {
        return loadedBytes;
    }

    /**
     * The progress line both loaders log every two seconds, from the state itself: "Loading the
     * {@code what}: N {@code unit}, X of Y MB (P%), R MB/s, about S s left".
     */
    String progress(String what, long items, String unit) {
        long loaded = loadedBytes;
        long total = totalBytes;
        long millis = System.currentTimeMillis() - startedMillis;
        double mbPerSecond = loaded / 1e6 / Math.max(0.001, millis / 1000.0);
        long left = mbPerSecond <= 0 ? 0 : Math.round((total - loaded) / 1e6 / mbPerSecond);
        return String.format(java.util.Locale.ROOT, "Loading the %s: %d %s, %.1f of %.1f MB (%.0f%%), %.1f MB/s, about %d s left",
                what, items, unit, loaded / 1e6, total / 1e6, total == 0 ? 100.0 : 100.0 * loaded / total, mbPerSecond, left);
    }
}
