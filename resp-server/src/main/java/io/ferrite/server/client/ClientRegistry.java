package io.ferrite.server.client;

import java.util.Collection;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The connected clients, by id (ordered, as CLIENT LIST prints them). Ids start at 1 and are
 * never reused, as in Redis.
 */
public final class ClientRegistry {
    private final ConcurrentSkipListMap<Long, ClientState> clients = new ConcurrentSkipListMap<>();
    private final AtomicLong nextId = new AtomicLong(1);

    public long nextId() {
        return nextId.getAndIncrement();
    }

    public void add(ClientState client) {
        clients.put(client.id(), client);
    }

    public void remove(ClientState client) {
        clients.remove(client.id());
    }

    public ClientState get(long id) {
        return clients.get(id);
    }

    public Collection<ClientState> all() {
        return clients.values();
    }

    public int size() {
        return clients.size();
    }
}
