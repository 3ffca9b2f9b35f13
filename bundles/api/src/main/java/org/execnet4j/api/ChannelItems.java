package org.execnet4j.api;

import java.math.BigInteger;
import java.util.Map;

/** Checks and converts received items for {@link Channel#receive(Class)}. */
final class ChannelItems {
    private static final Map<Class<?>, Class<?>> BOXES = Map.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, boolean.class, Boolean.class, float.class, Float.class, short.class, Short.class,
            byte.class, Byte.class, char.class, Character.class);

    private ChannelItems() {
    }

    static <T> T as(Channel channel, Class<T> type, Object item) {
        @SuppressWarnings("unchecked")
        Class<T> boxed = (Class<T>) BOXES.getOrDefault(type, type);
        if (boxed.isInstance(item)) {
            return boxed.cast(item);
        }
        if (boxed == Long.class && item instanceof Integer i) {
            return boxed.cast(i.longValue());
        }
        if (boxed == BigInteger.class && (item instanceof Integer || item instanceof Long)) {
            return boxed.cast(BigInteger.valueOf(((Number) item).longValue()));
        }
        throw new ClassCastException("channel " + channel.id() + " of " + channel.gateway().id() + ": expected "
                + type.getSimpleName() + " but received " + describe(item));
    }

    private static String describe(Object item) {
        if (item == null) {
            return "None (null)";
        }
        String text = String.valueOf(item);
        if (text.length() > 80) {
            text = text.substring(0, 77) + "...";
        }
        return item.getClass().getSimpleName() + " " + text;
    }
}
