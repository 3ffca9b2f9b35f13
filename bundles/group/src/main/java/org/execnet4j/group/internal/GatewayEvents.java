package org.execnet4j.group.internal;

import java.util.concurrent.CopyOnWriteArrayList;

import org.execnet4j.api.Gateway;
import org.execnet4j.group.GatewayListener;

/** A {@link GatewayListener} that passes every event on to the listeners added to it. */
final class GatewayEvents implements GatewayListener {
    private final CopyOnWriteArrayList<GatewayListener> listeners = new CopyOnWriteArrayList<>();

    void add(GatewayListener listener) {
        listeners.add(listener);
    }

    void remove(GatewayListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void started(String group, Gateway gateway) {
        listeners.forEach(l -> l.started(group, gateway));
    }

    @Override
    public void ended(String group, Gateway gateway) {
        listeners.forEach(l -> l.ended(group, gateway));
    }
}
