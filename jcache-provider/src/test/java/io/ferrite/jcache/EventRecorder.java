package io.ferrite.jcache;

import java.io.Serializable;
import java.util.concurrent.BlockingQueue;
import javax.cache.event.CacheEntryCreatedListener;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryExpiredListener;
import javax.cache.event.CacheEntryRemovedListener;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;

/** A cache entry listener that records events as text ("CREATED k=v", "REMOVED k") for a test to poll. */
public final class EventRecorder implements CacheEntryCreatedListener<String, String>,
        CacheEntryUpdatedListener<String, String>, CacheEntryRemovedListener<String, String>,
        CacheEntryExpiredListener<String, String>, Serializable {
    /** Where the events go (set by the test before it registers the listener). */
    public static volatile BlockingQueue<String> sink;

    private void record(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        for (CacheEntryEvent<? extends String, ? extends String> e : events) {
            boolean withValue = e.getEventType() == EventType.CREATED || e.getEventType() == EventType.UPDATED;
            sink.add(e.getEventType() + " " + e.getKey() + (withValue ? "=" + e.getValue() : ""));
        }
    }

    @Override
    public void onCreated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        record(events);
    }

    @Override
    public void onUpdated(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        record(events);
    }

    @Override
    public void onRemoved(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        record(events);
    }

    @Override
    public void onExpired(Iterable<CacheEntryEvent<? extends String, ? extends String>> events) {
        record(events);
    }
}
