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
}
